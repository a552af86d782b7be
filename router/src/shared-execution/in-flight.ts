// Work that is already under way, by key: a caller asking for the same key while it runs gets
// the same promise instead of starting it again. The entry goes once the work settles, so
// nothing is cached beyond the work's own lifetime and a failure reaches every waiter.
export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** The running work for `key`, or `start()` run now and shared until it settles. */
  share(key: string, start: () => Promise<T>): Promise<T> {
    const running = this.running.get(key);
    if (running) return running;
    const started = start();
    this.running.set(key, started);
    const forget = () => this.running.delete(key);
    started.then(forget, forget);
    return started;
  }

  get size(): number {
    return this.running.size;
  }
}

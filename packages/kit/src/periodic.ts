// A background task that runs every intervalMs, one pass at a time: a pass asked for while
// another runs starts after it. stop() cancels what is scheduled and waits for a running pass.
export interface PeriodicTask<T> {
  /** A pass now (after the running one, if any); rejects when the pass does. */
  runNow(): Promise<T>;
  stop(): Promise<void>;
}

export interface PeriodicOptions {
  /** 0: only runNow() runs passes. */
  intervalMs: number;
  /** Before the first scheduled pass; intervalMs unless set. */
  firstDelayMs?: number;
  /** A scheduled pass that failed; the next one comes as planned. */
  onError(error: unknown): void;
}

export function startPeriodic<T>(pass: () => Promise<T>, { intervalMs, firstDelayMs = intervalMs, onError }: PeriodicOptions): PeriodicTask<T> {
  let last: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  function runNow(): Promise<T> {
    const next = last.catch(() => {}).then(pass);
    last = next;
    return next;
  }

  function schedule(delayMs: number): void {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => {
      runNow()
        .catch(onError)
        .finally(() => schedule(intervalMs));
    }, delayMs);
    timer.unref();
  }
  schedule(firstDelayMs);

  return {
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await last.catch(() => {});
    },
  };
}

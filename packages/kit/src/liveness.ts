// Whether the process is stuck, for /health/live: a process whose requests all hang (a
// dependency that never answers, a lock, a lost callback) still answers a probe, so answering
// is not enough. Stuck means: a request has waited longer than `stuckAfterMs` for its answer and
// no request has been answered since. An orchestrator then restarts the process.
export interface LivenessReport {
  live: boolean;
  /** Why it is not. */
  reason?: string;
}

export class Liveness {
  /** Start times of requests waiting for their answer, oldest first (a Map keeps insertion order). */
  private readonly waiting = new Map<object, number>();
  private lastAnsweredAt = Date.now();

  constructor(private readonly stuckAfterMs: number) {}

  /** Counts `work` as a request waiting for its answer until it settles. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    const token = {};
    this.waiting.set(token, Date.now());
    try {
      return await work();
    } finally {
      this.waiting.delete(token);
      this.lastAnsweredAt = Date.now();
    }
  }

  /** As a readiness check: a stuck process takes no more traffic either (the reason is for operators). */
  readonly check = async (): Promise<void> => {
    const { live, reason } = this.report();
    if (!live) throw new Error(`stuck: ${reason}`);
  };

  report(now = Date.now()): LivenessReport {
    const oldest = this.waiting.values().next().value;
    if (oldest === undefined || now - oldest <= this.stuckAfterMs || now - this.lastAnsweredAt <= this.stuckAfterMs) return { live: true };
    return { live: false, reason: `${this.waiting.size} request(s) waiting, the oldest for ${now - oldest} ms; none answered for ${now - this.lastAnsweredAt} ms` };
  }
}

// How many plans run at once, adapted to the event loop's load: while the loop has idle time
// (the plans mostly wait on subgraphs) more may run; once it is busy all the time more plans
// only compete for the CPU, and each extra one in flight keeps its data alive through
// young-generation GCs, so fewer. The limit settles at about the fewest plans that keep the
// loop busy. Requests past the limit wait their turn, first come first served.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface AdmissionOptions {
  min?: number;
  max?: number;
  initial?: number;
  /** The share of time the loop was busy above which the limit comes down. */
  busyAbove?: number;
  /** Below this share (and with plans waiting) it goes up. */
  idleBelow?: number;
  /** How often the limit is reconsidered. */
  intervalMs?: number;
  /** The loop's utilization (0..1) since the last call (tests give their own). */
  utilization?: () => number;
}

export class AdaptiveAdmission {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private limitNow: number;
  private readonly min: number;
  private readonly max: number;
  private readonly busyAbove: number;
  private readonly idleBelow: number;
  private readonly utilization: () => number;
  private readonly timer?: NodeJS.Timeout;

  constructor(options: AdmissionOptions = {}) {
    this.min = options.min ?? 4;
    this.max = options.max ?? 512;
    this.limitNow = options.initial ?? 32;
    this.busyAbove = options.busyAbove ?? 0.95;
    this.idleBelow = options.idleBelow ?? 0.85;
    if (options.utilization) this.utilization = options.utilization;
    else {
      let last: EventLoopUtilization = performance.eventLoopUtilization();
      this.utilization = () => {
        const now = performance.eventLoopUtilization();
        const { utilization } = performance.eventLoopUtilization(now, last);
        last = now;
        return utilization;
      };
      this.timer = setInterval(() => this.adjust(), options.intervalMs ?? 250).unref();
    }
  }

  get limit(): number {
    return this.limitNow;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `work` once a place is free. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.limitNow) this.running += 1;
    // A waiter is handed its place (already counted) by the one that leaves.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.admitWaiting();
    }
  }

  /** Lowers the limit while the loop is busy all the time; raises it while it idles and requests wait. */
  adjust(): void {
    const busy = this.utilization();
    if (busy > this.busyAbove) this.limitNow = Math.max(this.min, Math.floor(this.limitNow * 0.9));
    else if (busy < this.idleBelow && this.waiting.length > 0) this.limitNow = Math.min(this.max, this.limitNow + Math.max(1, Math.floor(this.limitNow * 0.1)));
    this.admitWaiting();
  }

  private admitWaiting(): void {
    while (this.running < this.limitNow && this.waiting.length > 0) {
      this.running += 1;
      this.waiting.shift()!();
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

// How many plans run at once, adapted to the event loop's load: while the loop keeps up (the
// plans mostly wait on subgraphs) more may run, and when it falls behind (they compete for the
// CPU, and every extra one in flight keeps its data alive through young-generation GCs) fewer.
// Requests past the limit wait their turn, first come first served.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface AdmissionOptions {
  min?: number;
  max?: number;
  initial?: number;
  /** The event loop delay (p50) above which the limit comes down. */
  targetDelayMs?: number;
  /** How often the limit is reconsidered. */
  intervalMs?: number;
  /** The loop's delay since the last call, in ms (tests give their own). */
  delay?: () => number;
}

export class AdaptiveAdmission {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private limitNow: number;
  private readonly min: number;
  private readonly max: number;
  private readonly targetDelayMs: number;
  private readonly delay: () => number;
  private readonly histogram?: IntervalHistogram;
  private readonly timer?: NodeJS.Timeout;

  constructor(options: AdmissionOptions = {}) {
    this.min = options.min ?? 4;
    this.max = options.max ?? 512;
    this.limitNow = options.initial ?? 32;
    this.targetDelayMs = options.targetDelayMs ?? 20;
    if (options.delay) this.delay = options.delay;
    else {
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      this.histogram = histogram;
      this.delay = () => {
        const ms = histogram.count > 0 ? histogram.percentile(50) / 1e6 : 0;
        histogram.reset();
        return ms;
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

  /** Lowers the limit while the loop lags; raises it while it keeps up and requests wait. */
  adjust(): void {
    const delayMs = this.delay();
    if (delayMs > this.targetDelayMs) this.limitNow = Math.max(this.min, Math.floor(this.limitNow * 0.8));
    else if (this.waiting.length > 0) this.limitNow = Math.min(this.max, this.limitNow + Math.max(1, Math.floor(this.limitNow * 0.1)));
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
    this.histogram?.disable();
  }
}

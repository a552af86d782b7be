// A circuit breaker per server: after `failures` failed connections in a row it opens and every
// call fails at once, without touching the server, for `openMs` (with jitter, so breakers that
// opened together do not all retry together); then one call tries (half-open): success closes
// it, failure opens it again. However many users call a dead server, it sees one attempt per
// period.
export interface BreakerOptions {
  failures: number;
  openMs: number;
  /** 0 to 1: the open period varies by up to this share either way. */
  jitter?: number;
  now?: () => number;
  random?: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export class CircuitOpenError extends Error {
  override name = 'CircuitOpenError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

export class CircuitBreaker {
  private failuresInRow = 0;
  private openUntil = 0;
  private trial = false;
  private lastError = '';

  constructor(private readonly options: BreakerOptions) {}

  private now = () => (this.options.now ?? Date.now)();

  get state(): BreakerState {
    if (this.failuresInRow < this.options.failures) return 'closed';
    return this.now() < this.openUntil ? 'open' : 'half-open';
  }

  /** Nothing failed since the last success: forgetting it loses nothing. */
  get settled(): boolean {
    return this.failuresInRow === 0 && !this.trial;
  }

  /** Throws CircuitOpenError while open, and while another call is the half-open trial. */
  admit(): void {
    const state = this.state;
    if (state === 'closed') return;
    if (state === 'half-open' && !this.trial) {
      this.trial = true;
      return;
    }
    const retryAfterMs = Math.max(this.openUntil - this.now(), 0);
    throw new CircuitOpenError(`The server is not answering (${this.lastError}); calls resume after it answers a check`, retryAfterMs);
  }

  success(): void {
    this.failuresInRow = 0;
    this.trial = false;
    this.lastError = '';
  }

  /** The call said nothing about the server (a slow tool): a half-open breaker lets the next call try. */
  release(): void {
    this.trial = false;
  }

  failure(reason: string): void {
    this.trial = false;
    this.lastError = reason;
    this.failuresInRow += 1;
    if (this.failuresInRow >= this.options.failures) {
      const jitter = this.options.jitter ?? 0.2;
      const spread = 1 + jitter * (2 * (this.options.random ?? Math.random)() - 1);
      this.openUntil = this.now() + this.options.openMs * spread;
    }
  }
}

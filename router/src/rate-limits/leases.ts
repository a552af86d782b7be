// Fixed-window rate limits counted in the shared store, a lease of units at a time. Each
// router instance takes units from a window in one store call and hands them out to requests
// from memory, so a busy caller costs a store round trip per lease, not per request. The store
// counts every unit leased, so together the instances never let more through than the limit;
// units a lease leaves unused are lost with the window (a busy caller may get up to
// one lease fewer per instance). A refused window is remembered until it resets.
import type { KeyValueStore } from '@builderai/kit';

/** A lease is this share of the limit, so the units instances can hold back stay small. */
const LEASE_SHARE = 0.01;

interface Lease {
  /** Units left to hand out. */
  left: number;
  /** When the window (and with it the lease) ends. */
  endsAtMs: number;
  /** The window has no units left for anyone: refuse until it ends. */
  exhausted: boolean;
}

export interface Admission {
  allowed: boolean;
  /** Until the window resets; meaningful when refused. */
  retryAfterMs: number;
}

export class RateLimitLeases {
  private readonly leases = new Map<string, Lease>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(
    private readonly store: KeyValueStore,
    private readonly windowMs: number,
  ) {
    this.sweepTimer = setInterval(() => this.sweep(), Math.max(windowMs, 1000));
    this.sweepTimer.unref();
  }

  /** Takes one unit of `key`'s window; throws when the store cannot be asked. */
  async admit(key: string, limit: number): Promise<Admission> {
    for (;;) {
      const lease = this.leases.get(key);
      const nowMs = Date.now();
      if (lease && lease.endsAtMs > nowMs) {
        if (lease.left > 0) {
          lease.left -= 1;
          return { allowed: true, retryAfterMs: 0 };
        }
        if (lease.exhausted) return { allowed: false, retryAfterMs: lease.endsAtMs - nowMs };
      }
      // Concurrent requests of one caller wait for one lease rather than each taking one.
      let leasing = this.pending.get(key);
      if (!leasing) {
        leasing = this.lease(key, limit).finally(() => this.pending.delete(key));
        this.pending.set(key, leasing);
      }
      await leasing;
    }
  }

  close(): void {
    clearInterval(this.sweepTimer);
  }

  private async lease(key: string, limit: number): Promise<void> {
    const size = Math.max(1, Math.floor(limit * LEASE_SHARE));
    const { count, resetMs } = await this.store.hit(key, this.windowMs, size);
    // Units of this lease still under the limit; the rest were over it.
    const granted = Math.max(0, Math.min(size, limit - (count - size)));
    this.leases.set(key, { left: granted, endsAtMs: Date.now() + resetMs, exhausted: count >= limit });
  }

  private sweep(nowMs = Date.now()): void {
    for (const [key, lease] of this.leases) if (lease.endsAtMs <= nowMs) this.leases.delete(key);
  }
}

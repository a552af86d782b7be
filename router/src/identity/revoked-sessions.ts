// Whether a session has been revoked, asked on every request, mostly answered from memory.
// The store holds the truth (auth flags a revoked session there, then announces it on pub/sub;
// see revokeSessionsNow in the kit). A session is looked up in the store once; while the
// subscription stays unbroken, any later revocation reaches this process as a message, so the
// answer "not revoked" can be kept. Whenever the subscription may have missed a message
// (connection dropped, not yet confirmed), every kept answer is looked up again before it is
// trusted, unless the store cannot answer: then a session already checked keeps working (no
// revocation can be flagged while the store is away either), and one never checked is refused
// by the caller. A kept answer also lapses after a minute, which bounds how stale it can get.
import { randomUUID } from 'node:crypto';
import { REVOKED_SESSIONS_CHANNEL, revokedSessionKey, type KeyValueStore, type PubSub, type RevokedSessionsMessage } from '@builderai/kit';

interface Probe {
  probe: string;
}

const PROBE_INTERVAL_MS = 250;
const CLEARED_FOR_MS = 60_000;
const SWEEP_INTERVAL_MS = 60_000;

export interface RevokedSessionsOptions {
  store: KeyValueStore;
  pubsub: PubSub;
  /** Sessions kept as "not revoked"; past it the oldest is looked up again when next seen. */
  maxCleared?: number;
  /** How long a kept "not revoked" holds before the store is asked again. */
  clearedForMs?: number;
}

export class RevokedSessions {
  /** Revocations heard on pub/sub: session id → when its access tokens have expired anyway. */
  private readonly revoked = new Map<string, number>();
  /** Sessions the store said were not revoked, when, and in which epoch of the subscription. */
  private readonly cleared = new Map<string, { at: number; epoch: number }>();
  /** Changes whenever messages may have been missed; answers from an older epoch are not kept. */
  private epoch = 0;
  /** True once the subscription is known to deliver (our own probe came back). */
  private listening = false;
  private probeId = '';
  private probeTimer?: NodeJS.Timeout;
  private closed = false;
  private readonly sweepTimer: NodeJS.Timeout;
  private unsubscribe?: () => Promise<void>;
  private readonly revocationListeners = new Set<(sessionIds: string[]) => void>();
  private readonly maxCleared: number;
  private readonly clearedForMs: number;

  constructor(private readonly options: RevokedSessionsOptions) {
    this.maxCleared = options.maxCleared ?? 100_000;
    this.clearedForMs = options.clearedForMs ?? CLEARED_FOR_MS;
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  /** Subscribes and waits a little for the subscription to be confirmed (the store answers meanwhile). */
  async start(confirmWithinMs = 2000): Promise<void> {
    const { pubsub } = this.options;
    pubsub.onInterrupted(() => this.interrupted());
    this.unsubscribe = await pubsub.subscribe(REVOKED_SESSIONS_CHANNEL, (message) => this.heard(message));
    this.interrupted();
    const deadline = Date.now() + confirmWithinMs;
    while (!this.listening && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** Throws when the store cannot be asked (the caller decides what that means). */
  async isRevoked(sessionId: string, nowMs = Date.now()): Promise<boolean> {
    const until = this.revoked.get(sessionId);
    if (until !== undefined) {
      if (until > nowMs) return true;
      this.revoked.delete(sessionId);
    }
    let kept = this.cleared.get(sessionId);
    if (kept && nowMs - kept.at >= this.clearedForMs) {
      this.cleared.delete(sessionId);
      kept = undefined;
    }
    if (kept && kept.epoch === this.epoch && this.listening) return false;

    const epoch = this.epoch;
    const wasListening = this.listening;
    let flagged: boolean | undefined;
    try {
      [flagged] = await this.options.store.flagged([revokedSessionKey(sessionId)]);
    } catch (error) {
      // The store is away: an answer kept before the interruption still holds until it lapses.
      if (kept && !this.revoked.has(sessionId)) return false;
      throw error;
    }
    if (flagged) {
      this.cleared.delete(sessionId);
      return true;
    }
    // A revocation heard while the store was being asked wins over the store's older answer.
    if (this.revoked.has(sessionId)) return true;
    if (wasListening && this.listening && epoch === this.epoch) this.remember(sessionId, nowMs);
    return false;
  }

  /** Calls `listener` with the sessions of each revocation heard (open subscriptions end with them). */
  onRevoked(listener: (sessionIds: string[]) => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  /** Whether answers are being kept (the subscription is confirmed); for tests and metrics. */
  get isListening(): boolean {
    return this.listening;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    clearTimeout(this.probeTimer);
    this.listening = false;
    await this.unsubscribe?.().catch(() => {});
  }

  private remember(sessionId: string, nowMs: number): void {
    if (this.cleared.size >= this.maxCleared) this.cleared.delete(this.cleared.keys().next().value!);
    this.cleared.set(sessionId, { at: nowMs, epoch: this.epoch });
  }

  private heard(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const { probe } = message as Partial<Probe>;
    if (typeof probe === 'string') {
      if (probe === this.probeId && !this.listening) {
        this.listening = true;
        clearTimeout(this.probeTimer);
      }
      return;
    }
    const { sessionIds, ttlMs } = message as Partial<RevokedSessionsMessage>;
    if (!Array.isArray(sessionIds) || typeof ttlMs !== 'number') return;
    const until = Date.now() + ttlMs;
    const heard = sessionIds.filter((sessionId): sessionId is string => typeof sessionId === 'string');
    for (const sessionId of heard) {
      this.revoked.set(sessionId, until);
      this.cleared.delete(sessionId);
    }
    for (const listener of this.revocationListeners) listener(heard);
  }

  /** Messages may have been lost: distrust every kept answer and confirm the subscription anew. */
  private interrupted(): void {
    // The pub/sub outlives this list when the router closes first; it may still call.
    if (this.closed) return;
    this.epoch += 1;
    this.listening = false;
    this.probeId = `${randomUUID()}:${this.epoch}`;
    clearTimeout(this.probeTimer);
    this.sendProbe();
  }

  private sendProbe(): void {
    if (this.closed) return;
    const probe: Probe = { probe: this.probeId };
    this.options.pubsub.publish(REVOKED_SESSIONS_CHANNEL, probe).catch(() => {});
    this.probeTimer = setTimeout(() => this.sendProbe(), PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }

  private sweep(nowMs = Date.now()): void {
    for (const [sessionId, until] of this.revoked) if (until <= nowMs) this.revoked.delete(sessionId);
    for (const [sessionId, { at }] of this.cleared) if (nowMs - at >= this.clearedForMs) this.cleared.delete(sessionId);
  }
}

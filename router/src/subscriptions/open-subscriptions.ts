// The clients' subscriptions open on this router instance: at most so many per user (per IP
// without one), and each ends at once when its session is revoked (announced by auth, or found
// revoked when the open sessions are checked again every half minute).
import type { GraphQLError } from 'graphql';
import type { Identity } from '@builderai/kit';
import { clientKeyOf } from '../rate-limits/client-key.js';

const RECHECK_INTERVAL_MS = 30_000;

interface Open {
  identity: Identity;
  end(error: GraphQLError): void;
}

export interface OpenSubscriptionsOptions {
  maxPerUser: number;
  /** Throws UNAUTHENTICATED for a revoked session (other errors: not known now, keep it). */
  checkSession(identity: Identity): Promise<void>;
  revokedError(): GraphQLError;
}

export class OpenSubscriptions {
  private readonly perCaller = new Map<string, number>();
  private readonly bySession = new Map<string, Set<Open>>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: OpenSubscriptionsOptions) {
    this.timer = setInterval(() => void this.recheck(), RECHECK_INTERVAL_MS);
    this.timer.unref();
  }

  /** Subscriptions open now. */
  get size(): number {
    let total = 0;
    for (const count of this.perCaller.values()) total += count;
    return total;
  }

  /** False when the caller has its maximum open already. */
  canOpen(identity: Identity): boolean {
    return (this.perCaller.get(callerOf(identity)) ?? 0) < this.options.maxPerUser;
  }

  /** Counts a subscription; `end` is called if its session is revoked. Returns its removal. */
  add(identity: Identity, end: (error: GraphQLError) => void): () => void {
    const caller = callerOf(identity);
    this.perCaller.set(caller, (this.perCaller.get(caller) ?? 0) + 1);
    const open: Open = { identity, end };
    const session = identity.sessionId;
    if (session) {
      const sessions = this.bySession.get(session) ?? new Set();
      this.bySession.set(session, sessions.add(open));
    }
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      const left = (this.perCaller.get(caller) ?? 1) - 1;
      if (left > 0) this.perCaller.set(caller, left);
      else this.perCaller.delete(caller);
      if (!session) return;
      const sessions = this.bySession.get(session);
      sessions?.delete(open);
      if (sessions?.size === 0) this.bySession.delete(session);
    };
  }

  /** Ends the subscriptions of these sessions. */
  endSessions(sessionIds: readonly string[]): void {
    for (const sessionId of sessionIds) {
      for (const open of [...(this.bySession.get(sessionId) ?? [])]) open.end(this.options.revokedError());
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async recheck(): Promise<void> {
    for (const [sessionId, opens] of this.bySession) {
      const [first] = opens;
      if (!first) continue;
      try {
        await this.options.checkSession(first.identity);
      } catch (error) {
        if ((error as GraphQLError).extensions?.code === 'UNAUTHENTICATED') this.endSessions([sessionId]);
      }
    }
  }
}

const callerOf = (identity: Identity) => (identity.userId ? `user:${identity.userId}` : `ip:${clientKeyOf(identity.ip)}`);

// Revoked sessions: auth flags each one in the shared store, which stays the truth until the
// session's access tokens have expired anyway, and then announces it on pub/sub, so a router
// can keep a local list and skip the store for sessions it has already checked.
import type { KeyValueStore } from './store/key-value-store.js';
import type { PubSub } from './pubsub/pubsub.js';

export const revokedSessionKey = (sessionId: string) => `session:revoked:${sessionId}`;

export const REVOKED_SESSIONS_CHANNEL = 'sessions.revoked';

export interface RevokedSessionsMessage {
  sessionIds: string[];
  /** How long the sessions' access tokens can still be presented. */
  ttlMs: number;
}

/** Flags first, then announces: whoever hears of a revocation finds it in the store too. */
export async function revokeSessionsNow(
  { store, pubsub }: { store: KeyValueStore; pubsub: PubSub },
  sessionIds: string[],
  ttlMs: number,
): Promise<void> {
  if (sessionIds.length === 0) return;
  await Promise.all(sessionIds.map((id) => store.flag(revokedSessionKey(id), ttlMs)));
  const message: RevokedSessionsMessage = { sessionIds, ttlMs };
  await pubsub.publish(REVOKED_SESSIONS_CHANNEL, message);
}

// Sessions: one per sign-in. Revoking one is recorded in the database (refresh stops working)
// and flagged in the shared store and announced to the routers (they refuse its access tokens
// at once).
import { revokeSessionsNow, type KeyValueStore, type Logger, type PubSub } from '@builderai/kit';
import type { Prisma, Session } from '../generated/prisma/client.ts';
import { authEvents, type SessionRevokedReason } from '../events.js';
import { issueRefreshToken, type IssuedRefreshToken } from './refresh-tokens.js';

// Router and auth clocks may disagree a little about when an access token expires.
const CLOCK_SKEW_MS = 60_000;

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/** What is stored about the client, bounded in size. */
export const clientColumns = (client: ClientInfo) => ({ ip: client.ip?.slice(0, 64), userAgent: client.userAgent?.slice(0, 512) });

export interface StartedSession {
  session: Session;
  refreshToken: IssuedRefreshToken;
}

/** Opens a session with its first refresh token and announces the sign-in. */
export async function startSession(
  tx: Prisma.TransactionClient,
  { userId, client, refreshTtlSeconds, now = new Date() }: { userId: string; client: ClientInfo; refreshTtlSeconds: number; now?: Date },
): Promise<StartedSession> {
  const session = await tx.session.create({
    data: {
      userId,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + refreshTtlSeconds * 1000),
      ...clientColumns(client),
    },
  });
  const refreshToken = await issueRefreshToken(tx, { userId, sessionId: session.id, ttlSeconds: refreshTtlSeconds, now });
  await authEvents.record(tx, 'auth.user.logged_in', { userId, sessionId: session.id, at: now.toISOString() });
  return { session, refreshToken };
}

/**
 * Revokes the still-active sessions matching `where` and records one event for each.
 * The conditional UPDATE makes concurrent revocations of one session count it once.
 * Returns the ids revoked; flag them with `flagRevokedSessions` after the commit.
 */
export async function revokeSessions(
  tx: Prisma.TransactionClient,
  where: Prisma.SessionWhereInput,
  reason: SessionRevokedReason,
  now: Date = new Date(),
): Promise<string[]> {
  const revoked = await tx.session.updateManyAndReturn({
    where: { ...where, revokedAt: null },
    data: { revokedAt: now, revokeReason: reason },
    select: { id: true, userId: true },
  });
  for (const session of revoked) {
    await authEvents.record(tx, 'auth.session.revoked', { userId: session.userId, sessionId: session.id, reason });
  }
  return revoked.map((session) => session.id);
}

/** Sessions that can still be refreshed, newest first. */
export function activeSessionsOf(db: Prisma.TransactionClient, userId: string, now: Date = new Date()): Promise<Session[]> {
  return db.session.findMany({ where: { userId, revokedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: 'desc' } });
}

/**
 * Tells the router to refuse the sessions' access tokens until they have expired anyway.
 * The database already holds the truth, so a store failure is logged rather than thrown.
 */
export async function flagRevokedSessions(
  shared: { store: KeyValueStore; pubsub: PubSub },
  sessionIds: string[],
  accessTokenTtlSeconds: number,
  log: Logger,
): Promise<void> {
  const ttlMs = accessTokenTtlSeconds * 1000 + CLOCK_SKEW_MS;
  try {
    await revokeSessionsNow(shared, sessionIds, ttlMs);
  } catch (error) {
    log.error({ err: error, sessionIds }, 'could not flag revoked sessions; their access tokens stay valid until they expire');
  }
}

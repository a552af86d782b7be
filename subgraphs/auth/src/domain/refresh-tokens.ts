// Refresh tokens rotate on every use. All tokens of a session are one family: presenting a
// token that was already exchanged means it leaked, so the whole session is revoked, unless it
// was exchanged only a moment ago (a few seconds' grace): two tabs refreshing at once, or a
// client retrying a refresh whose answer it lost, get a sibling token instead of losing the session.
import type { Prisma } from '../generated/prisma/client.ts';
import { createOpaqueToken } from './opaque-tokens.js';

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
}

export interface RefreshTokenFacts {
  expiresAt: Date;
  rotatedAt: Date | null;
  session: { revokedAt: Date | null };
}

/** What presenting a (genuine) refresh token means, checked in this order. */
export type RefreshTokenState = 'session_ended' | 'reused' | 'just_rotated' | 'expired' | 'usable';

export function refreshTokenState(token: RefreshTokenFacts, now: Date = new Date(), reuseGraceMs = 0): RefreshTokenState {
  // A revoked family stays revoked: a replay after revocation changes nothing.
  if (token.session.revokedAt) return 'session_ended';
  if (token.rotatedAt) return now.getTime() - token.rotatedAt.getTime() <= reuseGraceMs ? 'just_rotated' : 'reused';
  if (token.expiresAt <= now) return 'expired';
  return 'usable';
}

export async function issueRefreshToken(
  tx: Prisma.TransactionClient,
  { userId, sessionId, ttlSeconds, now = new Date() }: { userId: string; sessionId: string; ttlSeconds: number; now?: Date },
): Promise<IssuedRefreshToken> {
  const { id, token, secretHash } = createOpaqueToken();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  await tx.refreshToken.create({ data: { id, userId, sessionId, tokenHash: secretHash, expiresAt, createdAt: now } });
  return { token, expiresAt };
}

/**
 * Marks the token exchanged, unless it already was or its session ended meanwhile. The
 * condition is evaluated by the UPDATE itself, so of two concurrent exchanges only one wins.
 */
export async function claimRefreshToken(tx: Prisma.TransactionClient, id: string, now: Date = new Date()): Promise<boolean> {
  const claimed = await tx.refreshToken.updateMany({
    where: { id, rotatedAt: null, session: { revokedAt: null } },
    data: { rotatedAt: now },
  });
  return claimed.count === 1;
}

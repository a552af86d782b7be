// Opaque tokens `<id>.<secret>` (refresh and password-reset tokens): the id finds the row,
// the secret is 32 random bytes of which the database keeps only a SHA-256 hash.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { isUuid } from './validation.js';

export interface OpaqueToken {
  id: string;
  /** What the client holds. */
  token: string;
  /** What the database keeps. */
  secretHash: string;
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export function createOpaqueToken(): OpaqueToken {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${id}.${secret}`, secretHash: hashSecret(secret) };
}

/** Splits a presented token; undefined when it cannot be one of ours. */
export function parseOpaqueToken(token: string): { id: string; secret: string } | undefined {
  const dot = token.indexOf('.');
  if (dot < 0) return undefined;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!isUuid(id) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { id, secret };
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret));
  const stored = Buffer.from(storedHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}

import { createOpaqueToken, hashSecret, parseOpaqueToken, secretMatches } from '../src/domain/opaque-tokens.js';
import { refreshTokenState } from '../src/domain/refresh-tokens.js';

const now = new Date('2026-11-26T12:00:00Z');
const later = new Date(now.getTime() + 60_000);
const earlier = new Date(now.getTime() - 60_000);

describe('opaque tokens', () => {
  it('read <id>.<secret> with 32 random bytes, and only a hash is kept', () => {
    const { id, token, secretHash } = createOpaqueToken();
    const parsed = parseOpaqueToken(token);
    expect(parsed?.id).toBe(id);
    expect(Buffer.from(parsed!.secret, 'base64url')).toHaveLength(32);
    expect(secretHash).toBe(hashSecret(parsed!.secret));
    expect(token).not.toContain(secretHash);
    expect(createOpaqueToken().token).not.toBe(token);
  });

  it('match only their own secret', () => {
    const { token, secretHash } = createOpaqueToken();
    const { secret } = parseOpaqueToken(token)!;
    expect(secretMatches(secret, secretHash)).toBe(true);
    const other = parseOpaqueToken(createOpaqueToken().token)!;
    expect(secretMatches(other.secret, secretHash)).toBe(false);
  });

  it('refuse anything malformed', () => {
    const { id } = createOpaqueToken();
    for (const bad of ['', 'abc', `${id}`, `${id}.`, `${id}.short`, `not-a-uuid.${'a'.repeat(43)}`, `${id}.${'a'.repeat(42)}!`]) {
      expect(parseOpaqueToken(bad)).toBeUndefined();
    }
  });
});

describe('refresh token rotation rules', () => {
  const fresh = { expiresAt: later, rotatedAt: null, session: { revokedAt: null } };

  it('a fresh token of a live session is usable', () => {
    expect(refreshTokenState(fresh, now)).toBe('usable');
  });

  it('a token presented again after rotation is a reuse', () => {
    expect(refreshTokenState({ ...fresh, rotatedAt: earlier }, now)).toBe('reused');
    // Even once it would have expired: the theft is still worth revoking for.
    expect(refreshTokenState({ ...fresh, rotatedAt: earlier, expiresAt: earlier }, now)).toBe('reused');
  });

  it('a token presented again within the grace after its exchange gets a sibling; after it, a reuse', () => {
    const justNow = new Date(now.getTime() - 5_000);
    expect(refreshTokenState({ ...fresh, rotatedAt: justNow }, now, 10_000)).toBe('just_rotated');
    expect(refreshTokenState({ ...fresh, rotatedAt: justNow }, now, 4_000)).toBe('reused');
    expect(refreshTokenState({ ...fresh, rotatedAt: justNow }, now, 0)).toBe('reused');
    // A revoked family stays revoked, grace or not.
    expect(refreshTokenState({ ...fresh, rotatedAt: justNow, session: { revokedAt: justNow } }, now, 10_000)).toBe('session_ended');
  });

  it('an expired token is refused', () => {
    expect(refreshTokenState({ ...fresh, expiresAt: now }, now)).toBe('expired');
  });

  it('nothing works once the session is revoked', () => {
    expect(refreshTokenState({ ...fresh, session: { revokedAt: earlier } }, now)).toBe('session_ended');
    expect(refreshTokenState({ ...fresh, rotatedAt: earlier, session: { revokedAt: earlier } }, now)).toBe('session_ended');
  });
});

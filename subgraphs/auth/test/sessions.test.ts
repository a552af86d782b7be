// Refresh tokens rotate, a replayed one revokes its whole family, and every revocation is
// flagged in the shared store so the router refuses the session's access tokens at once.
import { revokedSessionKey } from '@builderai/kit';
import { expectNoGraphQLErrors, type TestService } from '@builderai/testkit';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import {
  errorOf,
  identityOf,
  login,
  refresh,
  register,
  startAuth,
  useAuthService,
} from './helpers.js';
import { LogoutAllDocument, LogoutDocument, RevokeSessionDocument, SessionsDocument } from './generated/operations.js';

describe('sessions and refresh tokens', () => {
  let auth: TestService;
  let db: PrismaClient;

  useAuthService((started) => ({ auth, db } = started), { infrastructure: 'real' });

  const isFlagged = async (sessionId: string) => (await auth.infra.store.flagged([revokedSessionKey(sessionId)]))[0];
  const sessionIdOf = (accessToken: string) => identityOf(accessToken).sessionId!;

  it('rotates the refresh token on every use, within the same session', async () => {
    const { email } = await register(auth);
    const first = await login(auth, email);
    const second = expectNoGraphQLErrors(await refresh(auth, first.refreshToken)).refreshToken;

    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(sessionIdOf(second.accessToken)).toBe(sessionIdOf(first.accessToken));
    expect(second.user.email).toBe(email);
    const third = expectNoGraphQLErrors(await refresh(auth, second.refreshToken)).refreshToken;
    expect(sessionIdOf(third.accessToken)).toBe(sessionIdOf(first.accessToken));
  });

  /** As if the token had been exchanged longer ago than the reuse grace. */
  const exchangedLongAgo = (refreshToken: string) =>
    db.refreshToken.update({ where: { id: refreshToken.split('.')[0]! }, data: { rotatedAt: new Date(Date.now() - 60_000) } });

  it('revokes the whole family when a rotated refresh token is replayed', async () => {
    const { email } = await register(auth);
    const first = await login(auth, email);
    const sessionId = sessionIdOf(first.accessToken);
    const second = expectNoGraphQLErrors(await refresh(auth, first.refreshToken)).refreshToken;
    expect(await isFlagged(sessionId)).toBe(false);
    await exchangedLongAgo(first.refreshToken);

    const replay = errorOf(await refresh(auth, first.refreshToken));
    expect(replay.extensions.code).toBe('UNAUTHENTICATED');
    // The thief's or the owner's newer token dies with the family.
    expect(errorOf(await refresh(auth, second.refreshToken)).extensions.code).toBe('UNAUTHENTICATED');
    expect(await isFlagged(sessionId)).toBe(true);
    expect(await db.session.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({ revokeReason: 'refresh_token_reuse' });
    expect(await db.outboxEvent.count({ where: { type: 'auth.session.revoked', payload: { path: ['sessionId'], equals: sessionId } } })).toBe(1);
  });

  it('two concurrent refreshes with one token (two tabs) both succeed, in the same session', async () => {
    const { email } = await register(auth);
    const { refreshToken, accessToken } = await login(auth, email);
    const answers = await Promise.all([refresh(auth, refreshToken), refresh(auth, refreshToken)]);
    const tokens = answers.map((answer) => expectNoGraphQLErrors(answer).refreshToken);
    expect(tokens[0]!.refreshToken).not.toBe(tokens[1]!.refreshToken);
    for (const next of tokens) expect(sessionIdOf(next.accessToken)).toBe(sessionIdOf(accessToken));
    // Both new tokens keep working, and the session was never revoked.
    for (const next of tokens) expect(expectNoGraphQLErrors(await refresh(auth, next.refreshToken)).refreshToken.user.email).toBe(email);
    expect(await isFlagged(sessionIdOf(accessToken))).toBe(false);
  });

  it('a refresh retried within the grace gets a sibling token; the same retry after it revokes the session', async () => {
    const { email } = await register(auth);
    const { refreshToken, accessToken } = await login(auth, email);
    expectNoGraphQLErrors(await refresh(auth, refreshToken));
    const retried = expectNoGraphQLErrors(await refresh(auth, refreshToken)).refreshToken;
    expect(sessionIdOf(retried.accessToken)).toBe(sessionIdOf(accessToken));

    await exchangedLongAgo(refreshToken);
    expect(errorOf(await refresh(auth, refreshToken)).extensions.code).toBe('UNAUTHENTICATED');
    expect(await isFlagged(sessionIdOf(accessToken))).toBe(true);
    expect(errorOf(await refresh(auth, retried.refreshToken)).extensions.code).toBe('UNAUTHENTICATED');
  });

  it('with AUTH_REFRESH_REUSE_GRACE_SECONDS=0 any second exchange is a reuse', async () => {
    const strict = await startAuth({ AUTH_REFRESH_REUSE_GRACE_SECONDS: '0' }, { infrastructure: 'real' });
    try {
      const { email } = await register(strict);
      const { refreshToken, accessToken } = await login(strict, email);
      expectNoGraphQLErrors(await refresh(strict, refreshToken));
      expect(errorOf(await refresh(strict, refreshToken)).extensions.code).toBe('UNAUTHENTICATED');
      expect(await isFlagged(sessionIdOf(accessToken))).toBe(true);
    } finally {
      await strict.close();
    }
  });

  it('refuses malformed, tampered and unknown refresh tokens without touching the session', async () => {
    const { email } = await register(auth);
    const { refreshToken, accessToken } = await login(auth, email);
    const [id, secret] = refreshToken.split('.');
    const tampered = `${id}.${secret!.slice(0, -1)}${secret!.endsWith('A') ? 'B' : 'A'}`;
    for (const token of ['', 'garbage', tampered, `00000000-0000-4000-8000-000000000000.${secret}`]) {
      expect(errorOf(await refresh(auth, token)).extensions.code).toBe('UNAUTHENTICATED');
    }
    // A wrong secret is not a replay: the real token still works.
    expect(expectNoGraphQLErrors(await refresh(auth, refreshToken)).refreshToken.accessToken).toBeTruthy();
    expect(await isFlagged(sessionIdOf(accessToken))).toBe(false);
  });

  it('logout ends the current session: flagged, refresh refused', async () => {
    const { email } = await register(auth);
    const { accessToken, refreshToken } = await login(auth, email);
    const identity = identityOf(accessToken);

    expect(expectNoGraphQLErrors(await auth.request(LogoutDocument, {}, identity))).toEqual({ logout: true });
    expect(await isFlagged(identity.sessionId!)).toBe(true);
    expect(errorOf(await refresh(auth, refreshToken)).extensions.code).toBe('UNAUTHENTICATED');
  });

  it('logout without a signed-in user is UNAUTHENTICATED', async () => {
    expect(errorOf(await auth.request(LogoutDocument, {}, { roles: [] })).extensions.code).toBe('UNAUTHENTICATED');
  });

  it('lists the active sessions, marks the current one, and logoutAll ends them all', async () => {
    const { email, accessToken: registered } = await register(auth);
    const other = await login(auth, email);
    const identity = identityOf(other.accessToken, '10.1.2.3');

    const { sessions } = expectNoGraphQLErrors(await auth.request(SessionsDocument, {}, identity));
    expect(sessions.map((session) => session.id).sort()).toEqual([sessionIdOf(registered), identity.sessionId].sort());
    expect(sessions.filter((session) => session.current).map((session) => session.id)).toEqual([identity.sessionId]);

    expect(expectNoGraphQLErrors(await auth.request(LogoutAllDocument, {}, identity))).toEqual({ logoutAll: 2 });
    expect(await isFlagged(sessionIdOf(registered))).toBe(true);
    expect(await isFlagged(identity.sessionId!)).toBe(true);
    expect(expectNoGraphQLErrors(await auth.request(SessionsDocument, {}, identity))).toEqual({ sessions: [] });
  });

  it('revokeSession ends one of the caller’s sessions, and treats another user’s as NOT_FOUND', async () => {
    const alice = await register(auth);
    const aliceElsewhere = await login(auth, alice.email);
    const bob = await register(auth);
    const aliceSession = sessionIdOf(aliceElsewhere.accessToken);

    const asBob = await auth.request(RevokeSessionDocument, { id: aliceSession }, identityOf(bob.accessToken));
    expect(errorOf(asBob).extensions.code).toBe('NOT_FOUND');
    expect(errorOf(await auth.request(RevokeSessionDocument, { id: 'nope' }, identityOf(bob.accessToken))).extensions.code).toBe('NOT_FOUND');
    expect(await isFlagged(aliceSession)).toBe(false);

    expect(expectNoGraphQLErrors(await auth.request(RevokeSessionDocument, { id: aliceSession }, identityOf(alice.accessToken)))).toEqual({ revokeSession: true });
    expect(await isFlagged(aliceSession)).toBe(true);
    expect(errorOf(await refresh(auth, aliceElsewhere.refreshToken)).extensions.code).toBe('UNAUTHENTICATED');
    // The session making the request is untouched.
    expect(expectNoGraphQLErrors(await refresh(auth, alice.refreshToken)).refreshToken.accessToken).toBeTruthy();
  });
});

// changePassword and the reset flow: new credentials, other sessions ended, tokens single-use.
import { generateSealingKeys, revokedSessionKey, unseal } from '@builderai/kit';
import { PASSWORD_RESET_SEAL, type SealedPasswordReset } from '../src/events.js';
import { expectNoGraphQLErrors, type TestService } from '@builderai/testkit';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import {
  PASSWORD,
  errorOf,
  identityOf,
  login,
  notifierKeys,
  refresh,
  register,
  uniqueEmail,
  uniqueIp,
  useAuthService,
} from './helpers.js';
import { ChangePasswordDocument, LoginDocument, RequestPasswordResetDocument, ResetPasswordDocument } from './generated/operations.js';

const NEW_PASSWORD = 'a brand new passphrase';

describe('passwords', () => {
  let auth: TestService;
  let db: PrismaClient;

  useAuthService((started) => ({ auth, db } = started));

  const isFlagged = async (sessionId: string) => (await auth.infra.store.flagged([revokedSessionKey(sessionId)]))[0];
  const loginAnswer = (email: string, password: string) => auth.request(LoginDocument, { input: { email, password } }, { roles: [], ip: uniqueIp() });
  const resetEvents = (email: string) =>
    db.outboxEvent.findMany({ where: { type: 'auth.password_reset.requested', payload: { path: ['email'], equals: email } } });

  async function resetTokenFor(email: string): Promise<string> {
    expect(expectNoGraphQLErrors(await auth.request(RequestPasswordResetDocument, { email }, { roles: [] }))).toEqual({ requestPasswordReset: true });
    const [event] = await resetEvents(email);
    const { sealedToken } = event!.payload as { sealedToken: string };
    return (await unseal<SealedPasswordReset>(PASSWORD_RESET_SEAL, sealedToken, notifierKeys.privateKey)).token;
  }

  it('changePassword needs the current password and ends the other sessions only', async () => {
    const { email, accessToken } = await register(auth);
    const other = await login(auth, email);
    const identity = identityOf(accessToken);

    const wrong = await auth.request(ChangePasswordDocument, { input: { currentPassword: 'not my password', newPassword: NEW_PASSWORD } }, identity);
    expect(errorOf(wrong).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    const weak = await auth.request(ChangePasswordDocument, { input: { currentPassword: PASSWORD, newPassword: 'short' } }, identity);
    expect(errorOf(weak).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });

    const changed = await auth.request(ChangePasswordDocument, { input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }, identity);
    expect(expectNoGraphQLErrors(changed)).toEqual({ changePassword: true });
    expect(await isFlagged(identityOf(other.accessToken).sessionId!)).toBe(true);
    expect(await isFlagged(identity.sessionId!)).toBe(false);
    expect(errorOf(await loginAnswer(email, PASSWORD)).extensions.code).toBe('UNAUTHENTICATED');
    expect(expectNoGraphQLErrors(await loginAnswer(email, NEW_PASSWORD))).toBeTruthy();
  });

  it('changePassword counts wrong current passwords like failed sign-ins: a stolen token cannot guess at speed', async () => {
    const { email, accessToken, user } = await register(auth);
    const identity = { ...identityOf(accessToken), ip: uniqueIp() };
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    // AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT (5) wrong guesses, then even the right one is refused.
    for (let guess = 0; guess < 5; guess++) {
      const wrong = await auth.request(ChangePasswordDocument, { input: { currentPassword: `guess number ${guess}`, newPassword: NEW_PASSWORD } }, identity);
      expect(errorOf(wrong).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    }
    const locked = await auth.request(ChangePasswordDocument, { input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }, identity);
    expect(errorOf(locked).extensions.code).toBe('RATE_LIMITED');
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(before.passwordHash);
    // The account's sign-ins are locked out with it, as after failed logins.
    expect(errorOf(await loginAnswer(email, PASSWORD)).extensions.code).toBe('RATE_LIMITED');
  });

  it('requestPasswordReset answers true for an unknown email and records nothing', async () => {
    const email = uniqueEmail('nobody');
    expect(expectNoGraphQLErrors(await auth.request(RequestPasswordResetDocument, { email }, { roles: [] }))).toEqual({ requestPasswordReset: true });
    expect(expectNoGraphQLErrors(await auth.request(RequestPasswordResetDocument, { email: 'not an email' }, { roles: [] }))).toEqual({ requestPasswordReset: true });
    expect(await resetEvents(email)).toHaveLength(0);
  });

  it('a reset token from the event sets a new password once and ends every session', async () => {
    const { email, accessToken, refreshToken, user } = await register(auth);
    const token = await resetTokenFor(email);
    // Only a hash of the token is stored.
    const [stored] = await db.passwordResetToken.findMany({ where: { userId: user.id } });
    expect(token).not.toContain(stored!.tokenHash);

    const weak = await auth.request(ResetPasswordDocument, { input: { token, newPassword: 'short' } }, { roles: [] });
    expect(errorOf(weak).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });

    expect(expectNoGraphQLErrors(await auth.request(ResetPasswordDocument, { input: { token, newPassword: NEW_PASSWORD } }, { roles: [] }))).toEqual({ resetPassword: true });
    expect(await isFlagged(identityOf(accessToken).sessionId!)).toBe(true);
    expect(errorOf(await refresh(auth, refreshToken)).extensions.code).toBe('UNAUTHENTICATED');
    expect(expectNoGraphQLErrors(await loginAnswer(email, NEW_PASSWORD))).toBeTruthy();

    const again = await auth.request(ResetPasswordDocument, { input: { token, newPassword: 'yet another passphrase' } }, { roles: [] });
    expect(errorOf(again).extensions.code).toBe('UNAUTHENTICATED');
  });

  it('the reset event carries no secret: the token is sealed for the notifier, and no other key opens it', async () => {
    const { email } = await register(auth);
    const token = await resetTokenFor(email);
    const [event] = await resetEvents(email);
    const stored = JSON.stringify(event!.payload);
    expect(event!.payload).not.toHaveProperty('token');
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.split('.').at(-1));
    const { sealedToken } = event!.payload as { sealedToken: string };
    await expect(unseal(PASSWORD_RESET_SEAL, sealedToken, generateSealingKeys().privateKey)).rejects.toThrow();
    // Sealed as a reset token: it cannot be passed off as another kind of sealed value.
    await expect(unseal('builderai.something-else', sealedToken, notifierKeys.privateKey)).rejects.toThrow(/not builderai.something-else/);
  });

  it('refuses a tampered or made-up reset token', async () => {
    const { email } = await register(auth);
    const token = await resetTokenFor(email);
    const tampered = `${token.slice(0, -2)}${token.endsWith('xx') ? 'yy' : 'xx'}`;
    for (const bad of [tampered, 'garbage', '']) {
      const answer = await auth.request(ResetPasswordDocument, { input: { token: bad, newPassword: NEW_PASSWORD } }, { roles: [] });
      expect(errorOf(answer).extensions.code).toBe('UNAUTHENTICATED');
    }
    expect(expectNoGraphQLErrors(await loginAnswer(email, PASSWORD))).toBeTruthy();
  });
});

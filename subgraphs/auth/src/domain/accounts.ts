// The auth use cases: sign-up, sign-in, refresh, sign-out, passwords and account status.
// Each validates first, writes in one transaction together with its outbox events, then
// flags revoked sessions in the shared store and nudges the outbox relay.
import { createHash, type KeyObject } from 'node:crypto';
import { badUserInput, conflict, forbidden, isUniqueViolation, notFound, seal, unauthenticated, type KeyValueStore, type Logger, type PubSub } from '@builderai/kit';
import type { AccountStatus, Prisma, PrismaClient, Session, User } from '../generated/prisma/client.ts';
import { PASSWORD_RESET_SEAL, authEvents } from '../events.js';
import type { PasswordHasher } from './passwords.js';
import type { AccessTokenIssuer } from './tokens.js';
import type { LoginThrottle } from './login-throttle.js';
import { claimRefreshToken, issueRefreshToken, refreshTokenState, type IssuedRefreshToken } from './refresh-tokens.js';
import { activeSessionsOf, clientColumns, flagRevokedSessions, revokeSessions, startSession, type ClientInfo } from './sessions.js';
import { createOpaqueToken, parseOpaqueToken, secretMatches } from './opaque-tokens.js';
import { PASSWORD_MAX_LENGTH, assertStrongPassword, emailSchema, isUuid, nameSchema, normalizeEmail, parseField } from './validation.js';

export interface AccountsDeps {
  prisma: PrismaClient;
  store: KeyValueStore;
  pubsub: PubSub;
  passwords: PasswordHasher;
  accessTokens: AccessTokenIssuer;
  throttle: LoginThrottle;
  /** The notifications service's public key: reset tokens travel sealed for it alone. */
  notifierKey: KeyObject;
  settings: {
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    /** A refresh token presented again this soon after its exchange gets a sibling, not a revocation. */
    refreshReuseGraceSeconds: number;
    passwordResetTtlSeconds: number;
    passwordResetRequestsPerHour: number;
  };
  /** Called after a commit that recorded events (wakes the outbox relay). */
  eventsRecorded: () => void;
  log: Logger;
}

export interface SignedIn {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: User;
}

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
}

// One answer for an unknown email and a wrong password, so neither reveals an account.
const invalidCredentials = () => unauthenticated('Invalid email or password');
const invalidRefreshToken = () => unauthenticated('Refresh token is invalid or expired');
const invalidResetToken = () => unauthenticated('Reset token is invalid or expired');
const wrongCurrentPassword = () => badUserInput('Current password is incorrect', 'currentPassword');

const rolesOf = (user: User) => [user.role];
const HOUR_MS = 60 * 60 * 1000;

export type Accounts = ReturnType<typeof createAccounts>;

export function createAccounts(deps: AccountsDeps) {
  const { prisma, store, pubsub, passwords, accessTokens, throttle, settings, log } = deps;

  async function signedIn(user: User, sessionId: string, refresh: IssuedRefreshToken): Promise<SignedIn> {
    const access = await accessTokens.issue({ userId: user.id, sessionId, roles: rolesOf(user) });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt,
      user,
    };
  }

  /** After the commit: events out, revoked sessions flagged for the router. */
  async function committed(revokedSessionIds: string[] = []): Promise<void> {
    deps.eventsRecorded();
    if (revokedSessionIds.length > 0) await flagRevokedSessions({ store, pubsub }, revokedSessionIds, settings.accessTtlSeconds, log);
  }

  /** A revoked family: the session and, through it, every refresh token it issued. */
  async function revokeFamily(sessionId: string): Promise<void> {
    const revoked = await prisma.$transaction((tx) => revokeSessions(tx, { id: sessionId }, 'refresh_token_reuse'));
    if (revoked.length > 0) log.warn({ sessionId }, 'refresh token reused: session revoked');
    await committed(revoked);
  }

  async function rehashIfOutdated(user: User, password: string): Promise<void> {
    if (!user.passwordHash || !passwords.needsRehash(user.passwordHash)) return;
    const passwordHash = await passwords.hash(password);
    await prisma.user.update({ where: { id: user.id }, data: { passwordHash } }).catch((error) => log.warn({ err: error }, 'could not rehash a password'));
  }

  /**
   * The account whose password this is, counted by the sign-in throttle: one answer for an
   * unknown email, a wrong password and an account without one.
   */
  async function checkPassword(rawEmail: string, password: string, client: ClientInfo): Promise<User> {
    const email = normalizeEmail(rawEmail);
    await throttle.assertAllowed(email, client.ip);
    const user = await prisma.user.findUnique({ where: { email } });
    const passwordFits = password.length <= PASSWORD_MAX_LENGTH;
    const matches =
      user?.passwordHash && passwordFits ? await passwords.verify(user.passwordHash, password) : await passwords.verifyDummy(password.slice(0, PASSWORD_MAX_LENGTH));
    if (!user || !matches) {
      await throttle.failed(email, client.ip);
      throw invalidCredentials();
    }
    await throttle.succeeded(email);
    if (user.status !== 'ACTIVE') throw forbidden('This account is suspended');
    await rehashIfOutdated(user, password);
    return user;
  }

  /**
   * Signs in a user who proved who they are (a password, a sign-in provider): a new session,
   * started in one transaction with `alongside` (an identity linked, say).
   */
  async function startSignedIn(user: User, client: ClientInfo, alongside?: (tx: Prisma.TransactionClient) => Promise<unknown>): Promise<SignedIn> {
    if (user.status !== 'ACTIVE') throw forbidden('This account is suspended');
    const started = await prisma.$transaction(async (tx) => {
      await alongside?.(tx);
      return startSession(tx, { userId: user.id, client, refreshTtlSeconds: settings.refreshTtlSeconds });
    });
    await committed();
    return signedIn(user, started.session.id, started.refreshToken);
  }

  return {
    async register(input: RegisterInput, client: ClientInfo): Promise<SignedIn> {
      const email = parseField(emailSchema, input.email, 'email');
      assertStrongPassword(input.password, 'password', email);
      const name = parseField(nameSchema, input.name, 'name');
      // "This email has an account" is worth knowing to an attacker too: an IP learns it as
      // often as it may fail to sign in, and then waits like a failed sign-in.
      await throttle.assertClientAllowed(client.ip);
      const passwordHash = await passwords.hash(input.password);
      const { user, started } = await prisma
        .$transaction(async (tx) => {
          const user = await tx.user.create({ data: { email, passwordHash } });
          await authEvents.record(tx, 'auth.user.registered', { userId: user.id, email, name });
          const started = await startSession(tx, { userId: user.id, client, refreshTtlSeconds: settings.refreshTtlSeconds });
          return { user, started };
        })
        .catch(async (error) => {
          if (!isUniqueViolation(error, 'email')) throw error;
          await throttle.clientFailed(client.ip);
          throw conflict('An account with this email already exists', 'email');
        });
      await committed();
      return signedIn(user, started.session.id, started.refreshToken);
    },

    checkPassword,
    startSignedIn,

    async login(input: { email: string; password: string }, client: ClientInfo): Promise<SignedIn> {
      return startSignedIn(await checkPassword(input.email, input.password, client), client);
    },

    /** A first password for an account that signs in only through providers. */
    async setPassword(userId: string, newPassword: string): Promise<boolean> {
      const user = await prisma.user.findUnique({ where: { id: userId } });
      if (!user) throw unauthenticated();
      if (user.passwordHash) throw conflict('This account has a password already: use changePassword', 'newPassword');
      assertStrongPassword(newPassword, 'newPassword', user.email);
      const passwordHash = await passwords.hash(newPassword);
      const set = await prisma.user.updateMany({ where: { id: userId, passwordHash: null }, data: { passwordHash } });
      if (set.count === 0) throw conflict('This account has a password already: use changePassword', 'newPassword');
      return true;
    },

    async refresh(token: string, client: ClientInfo): Promise<SignedIn> {
      const parsed = parseOpaqueToken(token);
      if (!parsed) throw invalidRefreshToken();
      const find = () => prisma.refreshToken.findUnique({ where: { id: parsed.id }, include: { session: true, user: true } });
      let presented = await find();
      if (!presented || !secretMatches(parsed.secret, presented.tokenHash)) throw invalidRefreshToken();

      // Twice at most: a token another request exchanged a moment ago is looked at again.
      for (let attempt = 0; attempt < 2; attempt++) {
        const now = new Date();
        const state = refreshTokenState(presented, now, settings.refreshReuseGraceSeconds * 1000);
        if (state === 'reused') {
          await revokeFamily(presented.sessionId);
          throw invalidRefreshToken();
        }
        if ((state !== 'usable' && state !== 'just_rotated') || presented.user.status !== 'ACTIVE') throw invalidRefreshToken();

        const { sessionId, userId } = presented;
        const outcome = await prisma.$transaction(async (tx) => {
          if (state === 'usable' && !(await claimRefreshToken(tx, presented!.id, now))) return 'exchanged_meanwhile' as const;
          const expiresAt = new Date(now.getTime() + settings.refreshTtlSeconds * 1000);
          const live = await tx.session.updateMany({
            where: { id: sessionId, revokedAt: null },
            data: { lastUsedAt: now, expiresAt, ...clientColumns(client) },
          });
          if (live.count === 0) return 'session_ended' as const;
          return issueRefreshToken(tx, { userId, sessionId, ttlSeconds: settings.refreshTtlSeconds, now });
        });
        if (outcome === 'session_ended') throw invalidRefreshToken();
        if (outcome !== 'exchanged_meanwhile') return signedIn(presented.user, sessionId, outcome);
        presented = (await find())!;
      }
      throw invalidRefreshToken();
    },

    async logout(userId: string, sessionId: string): Promise<boolean> {
      const revoked = await prisma.$transaction((tx) => revokeSessions(tx, { id: sessionId, userId }, 'logout'));
      await committed(revoked);
      return true;
    },

    async logoutAll(userId: string): Promise<number> {
      const revoked = await prisma.$transaction((tx) => revokeSessions(tx, { userId }, 'logout_all'));
      await committed(revoked);
      return revoked.length;
    },

    listSessions(userId: string): Promise<Session[]> {
      return activeSessionsOf(prisma, userId);
    },

    async revokeSession(userId: string, sessionId: string): Promise<boolean> {
      // Someone else's session answers like a missing one.
      const session = isUuid(sessionId) ? await prisma.session.findFirst({ where: { id: sessionId, userId } }) : null;
      if (!session) throw notFound('Session');
      const revoked = await prisma.$transaction((tx) => revokeSessions(tx, { id: sessionId, userId }, 'revoked_by_user'));
      await committed(revoked);
      return true;
    },

    /** A wrong current password counts as a failed sign-in: a stolen access token cannot guess it at speed. */
    async changePassword(
      userId: string,
      currentSessionId: string | undefined,
      input: { currentPassword: string; newPassword: string },
      client: ClientInfo,
    ): Promise<boolean> {
      const user = await prisma.user.findUnique({ where: { id: userId } });
      if (!user) throw unauthenticated();
      assertStrongPassword(input.newPassword, 'newPassword', user.email);
      await throttle.assertAllowed(user.email, client.ip);
      if (!user.passwordHash) throw badUserInput('This account has no password yet: use setPassword', 'currentPassword');
      const currentMatches = input.currentPassword.length <= PASSWORD_MAX_LENGTH && (await passwords.verify(user.passwordHash, input.currentPassword));
      if (!currentMatches) {
        await throttle.failed(user.email, client.ip);
        throw wrongCurrentPassword();
      }
      await throttle.succeeded(user.email);
      const passwordHash = await passwords.hash(input.newPassword);
      const revoked = await prisma.$transaction(async (tx) => {
        await tx.user.update({ where: { id: userId }, data: { passwordHash } });
        await tx.passwordResetToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: new Date() } });
        const others = currentSessionId ? { userId, id: { not: currentSessionId } } : { userId };
        return revokeSessions(tx, others, 'password_changed');
      });
      await committed(revoked);
      return true;
    },

    /** Always resolves: whether an email has an account is not for the caller to learn. */
    async requestPasswordReset(rawEmail: string): Promise<void> {
      const parsed = emailSchema.safeParse(rawEmail);
      if (!parsed.success) return;
      const email = parsed.data;
      // Bounds the emails anyone can make us send; the key is hashed to keep addresses out of the store.
      const requests = await store.hit(`auth:password-reset:${createHash('sha256').update(email).digest('base64url')}`, HOUR_MS);
      if (requests.count > settings.passwordResetRequestsPerHour) return;
      const user = await prisma.user.findUnique({ where: { email } });
      if (!user || user.status !== 'ACTIVE') return;

      const { id, token, secretHash } = createOpaqueToken();
      const expiresAt = new Date(Date.now() + settings.passwordResetTtlSeconds * 1000);
      // The plaintext token exists only here and, sealed, for the notifier: outbox, broker and
      // other consumers see ciphertext; the database keeps a hash.
      const sealedToken = await seal(PASSWORD_RESET_SEAL, { token, userId: user.id }, deps.notifierKey);
      await prisma.$transaction(async (tx) => {
        await tx.passwordResetToken.create({ data: { id, userId: user.id, tokenHash: secretHash, expiresAt } });
        await authEvents.record(tx, 'auth.password_reset.requested', { userId: user.id, email, sealedToken, expiresAt: expiresAt.toISOString() });
      });
      await committed();
    },

    async resetPassword(input: { token: string; newPassword: string }): Promise<boolean> {
      const parsed = parseOpaqueToken(input.token);
      if (!parsed) throw invalidResetToken();
      const reset = await prisma.passwordResetToken.findUnique({ where: { id: parsed.id }, include: { user: true } });
      const now = new Date();
      if (!reset || !secretMatches(parsed.secret, reset.tokenHash) || reset.usedAt || reset.expiresAt <= now || reset.user.status !== 'ACTIVE') {
        throw invalidResetToken();
      }
      assertStrongPassword(input.newPassword, 'newPassword', reset.user.email);
      const passwordHash = await passwords.hash(input.newPassword);

      const revoked = await prisma.$transaction(async (tx) => {
        // Single use, also under concurrency: only one request can mark it used.
        const claimed = await tx.passwordResetToken.updateMany({ where: { id: reset.id, usedAt: null }, data: { usedAt: now } });
        if (claimed.count === 0) throw invalidResetToken();
        await tx.passwordResetToken.updateMany({ where: { userId: reset.userId, usedAt: null }, data: { usedAt: now } });
        await tx.user.update({ where: { id: reset.userId }, data: { passwordHash } });
        return revokeSessions(tx, { userId: reset.userId }, 'password_reset', now);
      });
      await committed(revoked);
      // Proving control of the mailbox lifts a lockout.
      await throttle.succeeded(reset.user.email);
      return true;
    },

    async setAccountStatus(userId: string, status: AccountStatus): Promise<User> {
      if (!isUuid(userId)) throw notFound('User');
      const { user, revoked } = await prisma.$transaction(async (tx) => {
        // Conditional, so that concurrent identical changes announce it once.
        const changed = await tx.user.updateMany({ where: { id: userId, status: { not: status } }, data: { status } });
        const user = await tx.user.findUnique({ where: { id: userId } });
        if (!user) throw notFound('User');
        if (changed.count === 0) return { user, revoked: [] };
        await authEvents.record(tx, 'auth.user.status_changed', { userId, status });
        const revoked = status === 'SUSPENDED' ? await revokeSessions(tx, { userId }, 'account_suspended') : [];
        return { user, revoked };
      });
      await committed(revoked);
      return user;
    },
  };
}

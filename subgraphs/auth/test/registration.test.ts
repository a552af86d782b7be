// register: an account, a session and its events in one transaction; bad input writes nothing.
import type { TestService } from '@builderai/testkit';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { PASSWORD, errorOf, eventually, login, register, uniqueEmail, uniqueIp, useAuthService } from './helpers.js';
import { RegisterDocument, type RegisterInput } from './generated/operations.js';

describe('register', () => {
  let auth: TestService;
  let db: PrismaClient;

  useAuthService((started) => ({ auth, db } = started));

  const attempt = (input: RegisterInput) => auth.request(RegisterDocument, { input }, { roles: [], ip: uniqueIp() });

  /** Every row that could belong to an attempt with this email. */
  async function rowsFor(email: string) {
    const users = await db.user.findMany({ where: { email }, select: { id: true } });
    const userIds = users.map((user) => user.id);
    return {
      users: users.length,
      sessions: await db.session.count({ where: { userId: { in: userIds } } }),
      refreshTokens: await db.refreshToken.count({ where: { userId: { in: userIds } } }),
      outbox: await db.outboxEvent.count({
        where: { OR: [{ payload: { path: ['email'], equals: email } }, ...userIds.map((id) => ({ payload: { path: ['userId'], equals: id } }))] },
      }),
    };
  }

  it('creates the account, signs it in and records auth.user.registered in the outbox', async () => {
    const email = uniqueEmail('Register');
    const payload = await register(auth, `  ${email.toUpperCase()} `);

    expect(payload.user).toMatchObject({ email: email.toLowerCase(), status: 'ACTIVE' });
    expect(payload.accessToken.split('.')).toHaveLength(3);
    expect(new Date(payload.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(payload.refreshTokenExpiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);

    const user = await db.user.findUniqueOrThrow({ where: { id: payload.user.id } });
    expect(user.email).toBe(email.toLowerCase());
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.role).toBe('USER');
    // The refresh token itself is never stored, only the hash of its secret.
    const stored = await db.refreshToken.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(1);
    expect(payload.refreshToken).not.toContain(stored[0]!.tokenHash);

    const registered = await db.outboxEvent.findMany({ where: { type: 'auth.user.registered', payload: { path: ['userId'], equals: user.id } } });
    expect(registered).toHaveLength(1);
    expect(registered[0]!.payload).toEqual({ userId: user.id, email: email.toLowerCase(), name: 'Ada Lovelace' });
    expect(registered[0]!.source).toBe('auth');
    expect(await db.outboxEvent.count({ where: { type: 'auth.user.logged_in', payload: { path: ['userId'], equals: user.id } } })).toBe(1);

    // The relay publishes it to RabbitMQ and marks it.
    await eventually(
      async () => (await db.outboxEvent.findUniqueOrThrow({ where: { id: registered[0]!.id } })).publishedAt,
      'the event to be published',
    );
  });

  it('refuses an invalid email with BAD_USER_INPUT on the email field, writing nothing', async () => {
    for (const email of ['not-an-email', 'jane@', '']) {
      const before = await rowsFor(email);
      const error = errorOf(await attempt({ email, password: PASSWORD, name: 'Jane' }));
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
      expect(await rowsFor(email)).toEqual(before);
    }
  });

  it('refuses a weak password with BAD_USER_INPUT on the password field, writing nothing', async () => {
    for (const password of ['short', 'aaaaaaaaaaaaaa', 'password123']) {
      const email = uniqueEmail('weak');
      const error = errorOf(await attempt({ email, password, name: 'Jane' }));
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
      expect(await rowsFor(email)).toEqual({ users: 0, sessions: 0, refreshTokens: 0, outbox: 0 });
    }
  });

  it('refuses an empty name with BAD_USER_INPUT on the name field, writing nothing', async () => {
    const email = uniqueEmail('noname');
    const error = errorOf(await attempt({ email, password: PASSWORD, name: '  ' }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(await rowsFor(email)).toEqual({ users: 0, sessions: 0, refreshTokens: 0, outbox: 0 });
  });

  it('refuses a duplicate email, in any case, with CONFLICT, writing nothing', async () => {
    const { email } = await register(auth);
    const before = await rowsFor(email);
    expect(before).toMatchObject({ users: 1, sessions: 1, refreshTokens: 1 });

    for (const again of [email, email.toUpperCase()]) {
      const error = errorOf(await attempt({ email: again, password: 'another long passphrase', name: 'Impostor' }));
      expect(error.extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    }
    expect(await rowsFor(email)).toEqual(before);
  });

  it('answers "already exists" to one client only as often as it may fail to sign in (AUTH_LOGIN_MAX_FAILURES_PER_IP)', async () => {
    const ip = uniqueIp();
    const taken = await Promise.all(Array.from({ length: 20 }, () => register(auth)));
    for (const { email } of taken) {
      const error = errorOf(await auth.request(RegisterDocument, { input: { email, password: 'another long passphrase', name: 'Prober' } }, { roles: [], ip }));
      expect(error.extensions).toMatchObject({ code: 'CONFLICT' });
    }
    // The 21st probe from that IP learns nothing, whether the email is taken or not.
    for (const email of [taken[0]!.email, uniqueEmail('fresh')]) {
      const error = errorOf(await auth.request(RegisterDocument, { input: { email, password: 'another long passphrase', name: 'Prober' } }, { roles: [], ip }));
      expect(error.extensions.code).toBe('RATE_LIMITED');
    }
    // The accounts themselves are not locked out: their owners sign in as before.
    expect((await login(auth, taken[0]!.email)).accessToken).toEqual(expect.any(String));
  });

  it('lets two concurrent registrations of one email create one account', async () => {
    const email = uniqueEmail('race');
    const answers = await Promise.all([1, 2].map(() => attempt({ email, password: PASSWORD, name: 'Racer' })));
    expect(answers.filter((answer) => !answer.body.errors)).toHaveLength(1);
    expect(errorOf(answers.find((answer) => answer.body.errors)!).extensions.code).toBe('CONFLICT');
    expect(await db.user.count({ where: { email } })).toBe(1);
  });
});

// login: one answer for an unknown email and a wrong password, and lockouts per account and IP.
import { expectNoGraphQLErrors, type TestService } from '@builderai/testkit';
import { PASSWORD, errorOf, login, register, startAuth, uniqueEmail, uniqueIp } from './helpers.js';
import { LoginDocument } from './generated/operations.js';

describe('login', () => {
  let auth: TestService;

  beforeAll(async () => {
    // A costlier hash makes the time an argon2 verification takes stand out from the rest.
    auth = await startAuth({ AUTH_ARGON2_TIME_COST: '6' });
  });
  afterAll(async () => {
    await auth?.close();
  });

  const attempt = (email: string, password: string, ip = uniqueIp()) => auth.request(LoginDocument, { input: { email, password } }, { roles: [], ip });

  async function timed(run: () => Promise<unknown>): Promise<number> {
    const started = performance.now();
    await run();
    return performance.now() - started;
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

  it('signs in with the email in any case and spacing', async () => {
    const { email } = await register(auth);
    const payload = await login(auth, `  ${email.toUpperCase()}  `);
    expect(payload.user.email).toBe(email);
  });

  it('answers an unknown email exactly like a wrong password, in similar time', async () => {
    const { email } = await register(auth);
    const wrongPassword = errorOf(await attempt(email, 'not the password at all'));
    const unknownEmail = errorOf(await attempt(uniqueEmail('nobody'), 'not the password at all'));
    expect(unknownEmail).toEqual(wrongPassword);
    expect(wrongPassword).toMatchObject({ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } });

    // Both pay for one argon2 verification (the unknown email against a dummy hash).
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      wrong.push(await timed(() => attempt(email, `wrong password ${i}`)));
      unknown.push(await timed(() => attempt(uniqueEmail('nobody'), `wrong password ${i}`)));
    }
    const ratio = median(unknown) / median(wrong);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('locks an account out after 5 failures, even for the right password, from any IP', async () => {
    const { email } = await register(auth);
    for (let i = 0; i < 5; i++) expect(errorOf(await attempt(email, 'wrong password!')).extensions.code).toBe('UNAUTHENTICATED');

    const locked = errorOf(await attempt(email, PASSWORD));
    expect(locked.extensions.code).toBe('RATE_LIMITED');
    expect(locked.extensions.retryAfter).toBeGreaterThan(0);
    expect(locked.extensions.retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it('locks out an unknown email the same way', async () => {
    const email = uniqueEmail('ghost');
    for (let i = 0; i < 5; i++) expect(errorOf(await attempt(email, 'wrong password!')).extensions.code).toBe('UNAUTHENTICATED');
    expect(errorOf(await attempt(email, 'wrong password!')).extensions.code).toBe('RATE_LIMITED');
  });

  it('locks an IP out after 20 failures across accounts', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 20; i++) await attempt(uniqueEmail('spray'), 'wrong password!', ip);
    const { email } = await register(auth);
    expect(errorOf(await attempt(email, PASSWORD, ip)).extensions.code).toBe('RATE_LIMITED');
    expect(expectNoGraphQLErrors(await attempt(email, PASSWORD, uniqueIp()))).toBeTruthy();
  });

  it('forgets an account’s failures after a successful login', async () => {
    const { email } = await register(auth);
    for (let i = 0; i < 4; i++) await attempt(email, 'wrong password!');
    await login(auth, email);
    for (let i = 0; i < 4; i++) await attempt(email, 'wrong password!');
    expect(expectNoGraphQLErrors(await attempt(email, PASSWORD))).toBeTruthy();
  });
});

// Redis frozen (a peer that stops answering) and then cut: every request is still answered
// within a second, sessions already checked keep working, revoked ones stay refused, one
// never checked is refused rather than trusted, and the platform recovers by itself.
import { startTcpProxy, uniqueEmail } from '@builderai/testkit';
import { startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

const PASSWORD = 'correct horse 42';
const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken } }`;
const ME = `{ me { id email } }`;

let platform: RunningPlatform;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;

beforeAll(async () => {
  const redis = new URL(process.env.REDIS_URL!);
  // Cut like a stopped server: connecting is refused until it is back.
  proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379), { whenCut: 'refuse' });
  redis.hostname = '127.0.0.1';
  redis.port = String(proxy.port);
  platform = await startTestPlatform({ REDIS_URL: redis.toString() });
}, 60_000);
afterAll(async () => {
  proxy?.restore();
  await platform?.close();
  await proxy?.close();
});

/** A request that must be answered within a second (the test fails on a hang). */
async function ask(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(platform.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(1_000),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> } };
}

async function register(name: string): Promise<{ email: string; token: string }> {
  const email = uniqueEmail(name);
  const { body } = await ask(REGISTER, { input: { email, password: PASSWORD, name } });
  return { email, token: body.data.register.accessToken };
}

test('frozen, then cut: answered within a second; known sessions work, unknown ones are refused, revoked ones stay refused; then it recovers', async () => {
  const alice = await register('alice');
  expect((await ask(ME, {}, alice.token)).body.data.me.email).toBe(alice.email); // checked once, now known
  const bob = await register('bob'); // a session the router has not checked yet
  const carol = await register('carol');
  expect((await ask('mutation { logout }', {}, carol.token)).body.data.logout).toBe(true);
  expect((await ask(ME, {}, carol.token)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

  for (const outage of ['frozen', 'cut'] as const) {
    if (outage === 'frozen') proxy.freeze();
    else await proxy.cut();

    const anonymous = await ask('{ __typename }');
    const known = await ask(ME, {}, alice.token);
    const unknown = await ask(ME, {}, bob.token);
    const revoked = await ask(ME, {}, carol.token);
    // Signing in needs the login throttle's counters: it is answered (refused), not left hanging.
    const login = await ask(LOGIN, { input: { email: alice.email, password: PASSWORD } });
    expect({
      outage,
      anonymous: anonymous.body.data,
      known: known.body.data?.me?.email,
      unknown: [unknown.status, unknown.body.data?.me ?? null],
      revoked: revoked.body.errors?.[0]?.extensions?.code,
      loginRefused: (login.body.errors?.length ?? 0) > 0,
    }).toEqual({
      outage,
      anonymous: { __typename: 'Query' },
      known: alice.email,
      unknown: [503, null],
      revoked: 'UNAUTHENTICATED',
      loginRefused: true,
    });
  }

  proxy.restore();
  const deadline = Date.now() + 20_000;
  let recovered = false;
  while (!recovered && Date.now() < deadline) {
    const attempt = await ask(ME, {}, bob.token).catch((error) => ({ status: 0, body: { error: String(error) } as any }));
    recovered = attempt.body.data?.me?.email === bob.email;
    if (!recovered) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(recovered).toBe(true);
  expect((await ask(LOGIN, { input: { email: alice.email, password: PASSWORD } })).body.data.login.accessToken).toEqual(expect.any(String));
  expect((await ask(ME, {}, carol.token)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
}, 60_000);

// The token lifecycle in the client, against the platform: the client keeps the tokens it
// obtains, refreshes once for any number of concurrent calls (refresh tokens rotate, and the
// API ends a session whose refresh token is presented twice), tells the app, and forgets them
// on logout or when the session is over.
import { BuilderAIError, createClient, type SessionTokens } from '@builderai/sdk';
import { uniqueEmail } from '@builderai/testkit';
import { startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

const ACCESS_TTL_SECONDS = 2;
const PASSWORD = 'correct horse 42';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let platform: RunningPlatform;
beforeAll(async () => {
  // Strict reuse detection: a second refresh with the same token would end the session.
  platform = await startTestPlatform({ AUTH_ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_SECONDS), AUTH_REFRESH_REUSE_GRACE_SECONDS: '0' });
});
afterAll(() => platform?.close());

/** A client with a session, counting the refreshes it sends and the tokens it reports. */
function sessionClient(tokens?: SessionTokens | null) {
  const seen = { refreshes: 0, reported: [] as Array<SessionTokens | null> };
  const client = createClient({
    url: platform.graphqlUrl,
    session: { tokens, onTokens: (next) => seen.reported.push(next), refreshBeforeSeconds: 0 },
    fetch: (input, init) => {
      if (String(init?.body).includes('mutation RefreshToken')) seen.refreshes += 1;
      return fetch(input, init);
    },
  });
  return { client, seen };
}

async function signedUp() {
  const { client, seen } = sessionClient();
  const email = uniqueEmail('session');
  const { register } = await client.register({ input: { email, password: PASSWORD, name: 'Tess' } });
  return { client, seen, email, userId: register.user.id, tokens: client.session!.tokens()! };
}

const expired = () => sleep(ACCESS_TTL_SECONDS * 1000 + 300);

test('ten calls in parallel with an expired access token: one refresh, ten answers', async () => {
  const { client, seen, userId, tokens } = await signedUp();
  expect(seen.reported).toEqual([tokens]);
  await expired();

  const answers = await Promise.all(Array.from({ length: 10 }, () => client.me()));
  expect(answers.map(({ me }) => me?.id)).toEqual(Array(10).fill(userId));
  expect(seen.refreshes).toBe(1);
  const renewed = client.session!.tokens()!;
  expect(renewed.refreshToken).not.toBe(tokens.refreshToken);
  expect(seen.reported).toEqual([tokens, renewed]);
});

test('an access token the API refuses is refreshed once, and each call retried once', async () => {
  const { tokens, userId } = await signedUp();
  await expired();
  // The client believes the token valid (as with a clock ahead): the API's 401 is what tells it.
  const { client, seen } = sessionClient({ ...tokens, accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString() });

  const answers = await Promise.all(Array.from({ length: 10 }, () => client.me()));
  expect(answers.map(({ me }) => me?.id)).toEqual(Array(10).fill(userId));
  expect(seen.refreshes).toBe(1);
  expect(seen.reported).toHaveLength(1);
});

test('a spent refresh token ends the session: the app is told, the call fails UNAUTHENTICATED', async () => {
  const { client, tokens } = await signedUp();
  await expired();
  await client.me(); // refreshes: `tokens.refreshToken` is spent now
  const { client: stale, seen } = sessionClient({ ...tokens, accessTokenExpiresAt: new Date(0).toISOString() });

  const failure = await stale.me().catch((error) => error);
  expect(failure).toBeInstanceOf(BuilderAIError);
  expect(failure.code).toBe('UNAUTHENTICATED');
  expect(seen.reported).toEqual([null]);
  expect(stale.session!.tokens()).toBeNull();
});

test('login keeps the tokens; logout forgets them and tells the app', async () => {
  const { email } = await signedUp();
  const { client, seen } = sessionClient();
  const { login } = await client.login({ input: { email, password: PASSWORD } });
  expect(client.session!.tokens()).toMatchObject({ accessToken: login.accessToken, refreshToken: login.refreshToken });
  expect((await client.me()).me?.email).toBe(email);

  await client.logout();
  expect(client.session!.tokens()).toBeNull();
  expect(seen.reported.at(-1)).toBeNull();
});

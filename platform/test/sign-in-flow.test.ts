// Through the router: register → login → me with fields from auth and users, refresh-token
// rotation and reuse detection.
import { eventually, graphql, uniqueEmail } from '@builderai/testkit';
import { startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id email } } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } } }`;
const REFRESH = `mutation ($token: String!) { refreshToken(token: $token) { accessToken refreshToken } }`;
const ME = `{ me { id email profile { name username } stats { loginCount } } }`;

let platform: RunningPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ AUTH_REFRESH_REUSE_GRACE_SECONDS: '1' });
});
afterAll(() => platform?.close());

test('register, login and read me from both subgraphs', async () => {
  const email = uniqueEmail('flow');
  const registered = await graphql(platform.graphqlUrl, REGISTER, { input: { email, password: 'correct horse 42', name: 'Ada Lovelace' } });
  expect(registered.errors).toBeUndefined();
  const userId = registered.data.register.user.id;
  expect(registered.data.register.user.email).toBe(email);

  const login = await graphql(platform.graphqlUrl, LOGIN, { input: { email, password: 'correct horse 42' } });
  expect(login.errors).toBeUndefined();
  const token = login.data.login.accessToken;

  // The profile and stats arrive through RabbitMQ: register and login each count a sign-in.
  const me = await eventually(async () => {
    const answer = await graphql(platform.graphqlUrl, ME, {}, { token });
    return answer.data?.me?.stats?.loginCount === 2 ? answer.data.me : undefined;
  });
  expect(me).toEqual({ id: userId, email, profile: { name: 'Ada Lovelace', username: null }, stats: { loginCount: 2 } });
});

test('refresh tokens rotate, and replaying a rotated one revokes the family', async () => {
  const email = uniqueEmail('rotate');
  const registered = await graphql(platform.graphqlUrl, REGISTER, { input: { email, password: 'correct horse 42', name: 'Rota' } });
  const first = registered.data.register.refreshToken;

  const rotated = await graphql(platform.graphqlUrl, REFRESH, { token: first });
  expect(rotated.errors).toBeUndefined();
  const second = rotated.data.refreshToken.refreshToken;
  expect(second).not.toBe(first);
  const accessToken = rotated.data.refreshToken.accessToken;
  expect((await graphql(platform.graphqlUrl, ME, {}, { token: accessToken })).data.me.email).toBe(email);

  // Past the reuse grace (1 s here), presenting the exchanged token again is a theft.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const replay = await graphql(platform.graphqlUrl, REFRESH, { token: first });
  expect(replay.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

  // The whole family is gone: the newest refresh token and the session's access token too.
  const afterReplay = await graphql(platform.graphqlUrl, REFRESH, { token: second });
  expect(afterReplay.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  const meAfter = await graphql(platform.graphqlUrl, ME, {}, { token: accessToken });
  expect(meAfter.status).toBe(401);
  expect(meAfter.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('logout revokes the access token at once', async () => {
  const email = uniqueEmail('logout');
  const registered = await graphql(platform.graphqlUrl, REGISTER, { input: { email, password: 'correct horse 42', name: 'Leave' } });
  const token = registered.data.register.accessToken;
  expect((await graphql(platform.graphqlUrl, 'mutation { logout }', {}, { token })).data).toEqual({ logout: true });
  const me = await graphql(platform.graphqlUrl, ME, {}, { token });
  expect(me.status).toBe(401);
  expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

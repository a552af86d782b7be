// Signing in with an OpenID provider through the router, as a web app does it: start, the
// provider's login and consent pages, complete; the new user's profile follows from the event,
// `me` answers for them, and signing in again is the same user. Bad cases are refused with
// their codes and create nobody.
import { eventually, graphql, signInAtProvider, startOidcProvider, uniqueEmail, type RunningOidcProvider } from '@builderai/testkit';
import { startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

const REDIRECT_URI = 'http://127.0.0.1:5173/auth/callback';
const START = 'mutation ($provider: ID!, $redirectUri: String!) { startSignIn(provider: $provider, redirectUri: $redirectUri) { url state } }';
const COMPLETE = 'mutation ($provider: ID!, $code: String!, $state: String!, $iss: String) { completeSignIn(provider: $provider, code: $code, state: $state, iss: $iss) { accessToken user { id email } } }';
const ME = 'query { me { id email hasPassword profile { name } identities { provider providerName emailVerified } } }';

let op: RunningOidcProvider;
let platform: RunningPlatform;
beforeAll(async () => {
  op = await startOidcProvider({ redirectUris: [REDIRECT_URI] });
  platform = await startTestPlatform({
    OIDC_PROVIDERS: JSON.stringify([{ id: 'acme', name: 'Acme SSO', issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret }]),
    SIGN_IN_REDIRECT_URIS: REDIRECT_URI,
  });
});
afterAll(async () => {
  await platform?.close();
  await op?.close();
});

async function atProvider(login: string) {
  const started = await graphql(platform.graphqlUrl, START, { provider: 'acme', redirectUri: REDIRECT_URI });
  expect(started.errors).toBeUndefined();
  const { redirect } = await signInAtProvider(started.data.startSignIn.url, login);
  return { code: redirect.searchParams.get('code')!, state: redirect.searchParams.get('state')!, iss: redirect.searchParams.get('iss') };
}

test('start, the provider\'s login and consent, complete: the new user has a profile, and is the same user next time', async () => {
  const login = `ada-${Date.now()}`;
  const email = uniqueEmail('ada');
  op.setAccount(login, { email, email_verified: true, name: 'Ada Lovelace' });
  const completed = await graphql(platform.graphqlUrl, COMPLETE, { provider: 'acme', ...(await atProvider(login)) });
  expect(completed.errors).toBeUndefined();
  const { accessToken, user } = completed.data.completeSignIn;
  expect(user.email).toBe(email);
  // The profile is made by the users service from the registration event.
  const me = await eventually(async () => {
    const answer = (await graphql(platform.graphqlUrl, ME, {}, { token: accessToken })).data?.me;
    return answer?.profile ? answer : null;
  }, 'the new user\'s profile');
  expect(me).toEqual({ id: user.id, email, hasPassword: false, profile: { name: 'Ada Lovelace' }, identities: [{ provider: 'acme', providerName: 'Acme SSO', emailVerified: true }] });

  const again = await graphql(platform.graphqlUrl, COMPLETE, { provider: 'acme', ...(await atProvider(login)) });
  expect(again.data.completeSignIn.user.id).toBe(user.id);
});

test('a tampered state, a replayed code and a redirect URI off the allow-list are refused with their codes', async () => {
  const back = await atProvider(`eve-${Date.now()}`);
  const tampered = await graphql(platform.graphqlUrl, COMPLETE, { provider: 'acme', ...back, state: `${back.state}x` });
  expect(tampered.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'state' });
  expect((await graphql(platform.graphqlUrl, COMPLETE, { provider: 'acme', ...back })).errors).toBeUndefined();
  const replayed = await graphql(platform.graphqlUrl, COMPLETE, { provider: 'acme', ...back });
  expect(replayed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'state' });
  const offList = await graphql(platform.graphqlUrl, START, { provider: 'acme', redirectUri: 'https://evil.example/callback' });
  expect(offList.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'redirectUri' });
});

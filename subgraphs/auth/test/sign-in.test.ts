// Signing in with a provider, against a real OpenID provider run locally (oidc-provider) and
// its login and consent pages: a first sign-in makes the account (and its profile event), the
// next ones find it; a tampered state, a replayed code, a wrong nonce, an expired or
// misaddressed ID token and a redirect URI off the allow-list are refused and change nothing;
// an existing account is never taken over by an email, and linked only with its password or by
// its signed-in owner; the last way in cannot be unlinked. GitHub, through a local server that
// speaks its OAuth flow and API.
import { decodeJwt } from 'jose';
import { asAdmin, expectNoGraphQLErrors, signInAtProvider, startGitHubLikeServer, startOidcProvider, type GitHubLikeServer, type RunningOidcProvider } from '@builderai/testkit';
import { PASSWORD, errorOf, identityOf, login, register, startAuth, uniqueEmail, uniqueIp, type AuthService } from './helpers.js';
import {
  CompleteIdentityLinkDocument,
  CompleteSignInDocument,
  ConfirmSignInLinkDocument,
  LoginDocument,
  SetAccountStatusDocument,
  SetPasswordDocument,
  SignInProvidersDocument,
  StartIdentityLinkDocument,
  StartSignInDocument,
  UnlinkIdentityDocument,
  UserSignInMethodsDocument,
} from './generated/operations.js';

// The web app's page the provider sends browsers back to (never fetched here).
const REDIRECT_URI = 'http://127.0.0.1:5173/auth/callback';

describe('sign-in with a provider', () => {
  let op: RunningOidcProvider;
  let auth: AuthService;
  beforeAll(async () => {
    op = await startOidcProvider({ redirectUris: [REDIRECT_URI] });
    auth = await startAuth({
      OIDC_PROVIDERS: JSON.stringify([{ id: 'acme', name: 'Acme SSO', issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret }]),
      SIGN_IN_REDIRECT_URIS: REDIRECT_URI,
    });
  });
  afterAll(async () => {
    await auth?.close();
    await op?.close();
  });

  const anonymous = () => ({ roles: [] as string[], ip: uniqueIp() });
  const uniqueLogin = (prefix = 'person') => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

  /** Starts a sign-in (or, as a user, a link) and signs in at the provider as `login`: what comes back to the app. */
  async function atProvider(login: string, { as, alterUrl }: { as?: ReturnType<typeof identityOf>; alterUrl?: (url: URL) => void } = {}) {
    const started = as
      ? expectNoGraphQLErrors(await auth.request(StartIdentityLinkDocument, { provider: 'acme', redirectUri: REDIRECT_URI }, as)).startIdentityLink
      : expectNoGraphQLErrors(await auth.request(StartSignInDocument, { provider: 'acme', redirectUri: REDIRECT_URI }, anonymous())).startSignIn;
    const url = new URL(started.url);
    alterUrl?.(url);
    const { redirect } = await signInAtProvider(url, login);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe(started.state);
    return { code: redirect.searchParams.get('code')!, state: redirect.searchParams.get('state')!, iss: redirect.searchParams.get('iss') };
  }
  const complete = (back: { code: string; state: string; iss: string | null }, identity = anonymous()) =>
    auth.request(CompleteSignInDocument, { provider: 'acme', ...back }, identity);
  async function signIn(login: string) {
    return expectNoGraphQLErrors(await complete(await atProvider(login))).completeSignIn;
  }
  async function signInMethods(userId: string) {
    const answer = await auth.request(UserSignInMethodsDocument, { representations: [{ __typename: 'User', id: userId }] }, { userId, roles: [] });
    return expectNoGraphQLErrors(answer)._entities[0] as { email: string; hasPassword: boolean; identities: Array<{ id: string; provider: string; providerName: string; email: string | null; emailVerified: boolean }> };
  }
  const counts = async () => ({ users: await auth.db.user.count(), identities: await auth.db.identity.count() });

  it('lists the providers configured', async () => {
    expect(expectNoGraphQLErrors(await auth.request(SignInProvidersDocument, {}, anonymous())).signInProviders).toEqual([{ id: 'acme', name: 'Acme SSO', icon: 'openid' }]);
  });

  it('makes the account at the first sign-in, with its profile event, and finds it at the next', async () => {
    const name = uniqueLogin('grace');
    op.setAccount(name, { email: `${name}@example.test`, email_verified: true, name: 'Grace Hopper' });
    const first = await signIn(name);
    expect(first.user.email).toBe(`${name}@example.test`);
    expect(decodeJwt(first.accessToken).sub).toBe(first.user.id);
    const registered = await auth.db.outboxEvent.findFirst({ where: { type: 'auth.user.registered', payload: { path: ['userId'], equals: first.user.id } } });
    expect(registered?.payload).toMatchObject({ email: `${name}@example.test`, name: 'Grace Hopper' });
    expect(await signInMethods(first.user.id)).toMatchObject({ hasPassword: false, identities: [{ provider: 'acme', providerName: 'Acme SSO', email: `${name}@example.test`, emailVerified: true }] });

    const again = await signIn(name);
    expect(again.user.id).toBe(first.user.id);
    expect(again.refreshToken).not.toBe(first.refreshToken);
    // No password yet: signing in with one fails like a wrong one, until the user sets it.
    expect(errorOf(await auth.request(LoginDocument, { input: { email: `${name}@example.test`, password: PASSWORD } }, anonymous())).extensions.code).toBe('UNAUTHENTICATED');
    expectNoGraphQLErrors(await auth.request(SetPasswordDocument, { newPassword: PASSWORD }, identityOf(first.accessToken)));
    expect((await login(auth, `${name}@example.test`)).user.id).toBe(first.user.id);
    expect(errorOf(await auth.request(SetPasswordDocument, { newPassword: `${PASSWORD}!` }, identityOf(first.accessToken))).extensions.code).toBe('CONFLICT');

    // Suspension holds here as for passwords.
    expectNoGraphQLErrors(await auth.request(SetAccountStatusDocument, { userId: first.user.id, status: 'SUSPENDED' }, asAdmin()));
    expect(errorOf(await complete(await atProvider(name))).extensions.code).toBe('FORBIDDEN');
  });

  it('refuses a redirect URI off the allow-list, a tampered state, a replayed code, a wrong nonce and a bad ID token, changing nothing', async () => {
    for (const redirectUri of ['http://127.0.0.1:5173/auth/other', `${REDIRECT_URI}?next=/admin`, 'http://evil.example/auth/callback']) {
      expect(errorOf(await auth.request(StartSignInDocument, { provider: 'acme', redirectUri }, anonymous())).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'redirectUri' });
    }
    expect(errorOf(await auth.request(StartSignInDocument, { provider: 'nobody', redirectUri: REDIRECT_URI }, anonymous())).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'provider' });
    const before = await counts();

    const name = uniqueLogin('eve');
    const back = await atProvider(name);
    expect(errorOf(await complete({ ...back, state: `${back.state}x` })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'state' });
    expect(await counts()).toEqual(before);
    // The real state was not spent by the forged one: it still finishes, once.
    const signedIn = expectNoGraphQLErrors(await complete(back)).completeSignIn;
    expect(errorOf(await complete(back)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'state' });
    // The code again under a fresh state: the provider refuses it (spent, and not this flow's PKCE).
    const fresh = await atProvider(name);
    expect(errorOf(await complete({ ...fresh, code: back.code })).extensions.code).toBe('UNAUTHENTICATED');
    const afterFirst = await counts();
    expect(afterFirst).toEqual({ users: before.users + 1, identities: before.identities + 1 });

    // An ID token minted for another nonce (another browser's sign-in).
    const stranger = uniqueLogin('mallet');
    const otherNonce = await atProvider(stranger, { alterUrl: (url) => url.searchParams.set('nonce', 'someone-elses-nonce') });
    expect(errorOf(await complete(otherNonce))).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/nonce/) });
    // Expired, and addressed to another client, though signed with the provider's own key.
    for (const alter of [(claims: Record<string, unknown>) => ({ ...claims, exp: Math.floor(Date.now() / 1000) - 600 }), (claims: Record<string, unknown>) => ({ ...claims, aud: 'another-client' })]) {
      const backAgain = await atProvider(stranger);
      op.alterIdTokens(alter);
      try {
        expect(errorOf(await complete(backAgain)).extensions.code).toBe('UNAUTHENTICATED');
      } finally {
        op.alterIdTokens(null);
      }
    }
    expect(await counts()).toEqual(afterFirst);
    expect(signedIn.user.email).toBe(`${name}@example.test`);
  });

  it('never lets an unverified email take over an account, and links a verified one only with its password', async () => {
    const owner = await register(auth, uniqueEmail('owner'));
    const impostor = uniqueLogin('impostor');
    op.setAccount(impostor, { email: owner.email, email_verified: false });
    const before = await counts();
    const refused = errorOf(await complete(await atProvider(impostor)));
    expect(refused.extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    expect(refused.extensions.linkToken).toBeUndefined();
    expect(await counts()).toEqual(before);
    expect((await signInMethods(owner.user.id)).identities).toEqual([]);

    const sameOwner = uniqueLogin('owner-sso');
    op.setAccount(sameOwner, { email: owner.email, email_verified: true });
    const offered = errorOf(await complete(await atProvider(sameOwner)));
    expect(offered.extensions).toMatchObject({ code: 'CONFLICT', linkToken: expect.any(String) });
    const token = offered.extensions.linkToken as string;
    expect(errorOf(await auth.request(ConfirmSignInLinkDocument, { token, password: 'not the password at all' }, anonymous())).extensions.code).toBe('UNAUTHENTICATED');
    expect(await counts()).toEqual(before);
    const confirmed = expectNoGraphQLErrors(await auth.request(ConfirmSignInLinkDocument, { token, password: PASSWORD }, anonymous())).confirmSignInLink;
    expect(confirmed.user.id).toBe(owner.user.id);
    expect(errorOf(await auth.request(ConfirmSignInLinkDocument, { token, password: PASSWORD }, anonymous())).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    // From now on the provider signs the owner in directly.
    expect((await signIn(sameOwner)).user.id).toBe(owner.user.id);

    // A new account needs an email the provider vouches for.
    const unverified = uniqueLogin('unverified');
    op.setAccount(unverified, { email: `${unverified}@example.test`, email_verified: false });
    expect(errorOf(await complete(await atProvider(unverified))).extensions.code).toBe('FORBIDDEN');
  });

  it('links and unlinks for a signed-in user, never the last way in, and never someone else\'s', async () => {
    const user = await register(auth, uniqueEmail('linker'));
    const as = identityOf(user.accessToken);
    const providerLogin = uniqueLogin('linked');
    const linked = expectNoGraphQLErrors(await auth.request(CompleteIdentityLinkDocument, { provider: 'acme', ...(await atProvider(providerLogin, { as })) }, as)).completeIdentityLink;
    expect(linked).toMatchObject({ provider: 'acme', email: `${providerLogin}@example.test`, emailVerified: true });
    expect((await signIn(providerLogin)).user.id).toBe(user.user.id);

    // A link flow finished by another signed-in user is refused (and spent).
    const other = await register(auth, uniqueEmail('other'));
    const stolen = await atProvider(uniqueLogin('stolen'), { as });
    expect(errorOf(await auth.request(CompleteIdentityLinkDocument, { provider: 'acme', ...stolen }, identityOf(other.accessToken))).extensions.code).toBe('FORBIDDEN');
    // A provider account already signing another user in stays theirs.
    const taken = await atProvider(providerLogin, { as: identityOf(other.accessToken) });
    expect(errorOf(await auth.request(CompleteIdentityLinkDocument, { provider: 'acme', ...taken }, identityOf(other.accessToken))).extensions.code).toBe('CONFLICT');

    expect(errorOf(await auth.request(UnlinkIdentityDocument, { id: linked.id }, identityOf(other.accessToken))).extensions.code).toBe('NOT_FOUND');
    expect(expectNoGraphQLErrors(await auth.request(UnlinkIdentityDocument, { id: linked.id }, as)).unlinkIdentity).toBe(true);
    expect((await signInMethods(user.user.id)).identities).toEqual([]);

    // An account made by a provider keeps its only way in until it has another.
    const ssoOnly = await signIn(uniqueLogin('only'));
    const [only] = (await signInMethods(ssoOnly.user.id)).identities;
    expect(errorOf(await auth.request(UnlinkIdentityDocument, { id: only!.id }, identityOf(ssoOnly.accessToken))).extensions.code).toBe('CONFLICT');
  });
});

describe('sign-in with GitHub', () => {
  let github: GitHubLikeServer;
  let auth: AuthService;
  beforeAll(async () => {
    github = await startGitHubLikeServer({ redirectUris: [REDIRECT_URI] });
    auth = await startAuth({ GITHUB_CLIENT_ID: github.clientId, GITHUB_CLIENT_SECRET: github.clientSecret, GITHUB_URL: github.url, GITHUB_API_URL: github.url, SIGN_IN_REDIRECT_URIS: REDIRECT_URI });
  });
  afterAll(async () => {
    await auth?.close();
    await github?.close();
  });

  async function signIn(identity = { roles: [] as string[], ip: uniqueIp() }) {
    const started = expectNoGraphQLErrors(await auth.request(StartSignInDocument, { provider: 'github', redirectUri: REDIRECT_URI }, identity)).startSignIn;
    const back = new URL((await fetch(started.url, { redirect: 'manual' })).headers.get('location')!);
    return auth.request(CompleteSignInDocument, { provider: 'github', code: back.searchParams.get('code')!, state: back.searchParams.get('state')! }, identity);
  }

  it('signs in by GitHub user id with its verified primary email, and never with an unverified one', async () => {
    expect(expectNoGraphQLErrors(await auth.request(SignInProvidersDocument, {}, { roles: [] })).signInProviders).toEqual([{ id: 'github', name: 'GitHub', icon: 'github' }]);
    const id = Math.floor(Math.random() * 1e9);
    const email = uniqueEmail('octo');
    github.setUser({ id, login: 'octo', name: 'Octo Cat', emails: [{ email: 'old@example.test', primary: false, verified: true }, { email, primary: true, verified: true }] });
    const first = expectNoGraphQLErrors(await signIn()).completeSignIn;
    expect(first.user.email).toBe(email);
    // A renamed login is the same GitHub user.
    github.setUser({ id, login: 'octo-renamed', name: null, emails: [{ email, primary: true, verified: true }] });
    expect(expectNoGraphQLErrors(await signIn()).completeSignIn.user.id).toBe(first.user.id);

    github.setUser({ id: id + 1, login: 'unverified', name: null, emails: [{ email: uniqueEmail('unverified'), primary: true, verified: false }] });
    expect(errorOf(await signIn()).extensions.code).toBe('FORBIDDEN');
  });
});

// Servers that want OAuth, against an MCP server behind the SDK's own authorization handlers:
// each user authorizes with their own account (code + PKCE through the callback), their calls
// carry only their own tokens, tokens are refreshed before they expire and refreshed once
// however many calls (or processes) find one refused, a grant the authorization server no
// longer honours asks its owner again, and revoking forgets the grant there too.
import { atRestKey, createLogger } from '@builderai/kit';
import { startOAuthMcpServer, startSdkMcpServer, useService, type OAuthMcpServer, type SdkMcpServer } from '@builderai/testkit';
import mcpSubgraph from '../src/index.js';
import type { McpConfig } from '../src/config.js';
import { GrantTokens } from '../src/oauth/server-authorization.js';
import { as, errorCodesOf, eventually, expectNoGraphQLErrors, newUserId, TEST_ENV } from './helpers.js';
import { CallToolDocument, RegisterServerDocument, RevokeAuthorizationDocument, ServerAuthorizationDocument, StartAuthorizationDocument, TestServerDocument } from './generated/operations.js';

describe('OAuth', () => {
  const mcp = useService(mcpSubgraph, { env: { ...TEST_ENV, MCP_CHECK_INTERVAL_SECONDS: '1' } });
  const oauthServers: OAuthMcpServer[] = [];
  const sdkServers: SdkMcpServer[] = [];
  afterAll(async () => {
    await Promise.all([...oauthServers.map((server) => server.close()), ...sdkServers.map((server) => server.close())]);
  });

  async function oauthServer(accessTokenTtlSeconds = 300): Promise<OAuthMcpServer> {
    const server = await startOAuthMcpServer({ accessTokenTtlSeconds });
    oauthServers.push(server);
    return server;
  }
  async function register(userId: string, url: string): Promise<string> {
    return expectNoGraphQLErrors(await mcp.request(RegisterServerDocument, { input: { name: 'Protected', transport: 'STREAMABLE_HTTP', url } }, as(userId))).registerMcpServer.id;
  }
  const callWhoAmI = (userId: string, serverId: string) => mcp.request(CallToolDocument, { serverId, name: 'whoAmI', arguments: {} }, as(userId));
  async function whoAmI(userId: string, serverId: string): Promise<string> {
    const result = expectNoGraphQLErrors(await callWhoAmI(userId, serverId)).callMcpTool;
    expect(result.isError).toBe(false);
    return (result.content as Array<{ text: string }>)[0]!.text;
  }
  const authorization = async (userId: string, serverId: string) => expectNoGraphQLErrors(await mcp.request(ServerAuthorizationDocument, { id: serverId }, as(userId))).mcpServer!;
  async function start(userId: string, serverId: string): Promise<URL> {
    return new URL(expectNoGraphQLErrors(await mcp.request(StartAuthorizationDocument, { serverId }, as(userId))).startMcpAuthorization.url);
  }
  /** What the user's browser does: the authorization server approves at once and redirects to the callback. */
  async function approve(authorizationUrl: URL): Promise<{ callback: string; page: Response }> {
    const atServer = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(atServer.status).toBe(302);
    const callback = atServer.headers.get('location')!;
    return { callback, page: await fetch(callback, { redirect: 'manual' }) };
  }
  async function authorizeAs(oauth: OAuthMcpServer, subject: string, userId: string, serverId: string): Promise<void> {
    oauth.setUser(subject);
    const { page } = await approve(await start(userId, serverId));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Connected');
  }
  function expectAuthorizationRequired(response: { body: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }, message: RegExp) {
    expect(response.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'FORBIDDEN', authorizationRequired: true } });
  }

  it("is authorized by each user with their own account, and one user's grant never serves another", async () => {
    const oauth = await oauthServer();
    const alice = newUserId();
    const serverId = await register(alice, oauth.url);
    expectAuthorizationRequired(await callWhoAmI(alice, serverId), /requires authorization/);
    expect((await authorization(alice, serverId)).authorization).toMatchObject({ status: 'REQUIRED' });
    const test = expectNoGraphQLErrors(await mcp.request(TestServerDocument, { id: serverId }, as(alice))).testMcpServer;
    expect(test).toMatchObject({ ok: false, error: expect.stringMatching(/requires authorization/) });

    const url = await start(alice, serverId);
    const base = mcp.service.graphqlUrl.replace(/\/graphql$/, '');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      code_challenge_method: 'S256',
      code_challenge: expect.any(String),
      state: expect.any(String),
      redirect_uri: `${base}/oauth/callback`,
      resource: oauth.url,
    });
    oauth.setUser('alice@provider');
    const { callback, page } = await approve(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain('BuilderAI can now use Protected');

    expect((await authorization(alice, serverId)).authorization).toMatchObject({ status: 'AUTHORIZED', accessTokenExpiresAt: expect.any(String), authorizedAt: expect.any(String), lastError: null });
    expect(await whoAmI(alice, serverId)).toBe('alice@provider');
    // The check due at once lists what it offers now that it can be asked.
    await eventually(async () => (await authorization(alice, serverId)).tools.some((tool) => tool.name === 'whoAmI'), 'the tools listed after authorization');

    // Bob, with the same server registered, has no grant of his own: Alice's is not used.
    const bob = newUserId();
    const bobsServer = await register(bob, oauth.url);
    expectAuthorizationRequired(await callWhoAmI(bob, bobsServer), /requires authorization/);
    expect(errorCodesOf(await callWhoAmI(bob, serverId))).toEqual(['NOT_FOUND']);
    expect(errorCodesOf(await mcp.request(StartAuthorizationDocument, { serverId }, as(bob)))).toEqual(['NOT_FOUND']);
    // Alice's callback again (a replay) finishes nothing.
    const replay = await fetch(callback, { redirect: 'manual' });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toMatch(/unknown or expired/);

    await authorizeAs(oauth, 'bob@provider', bob, bobsServer);
    expect(await whoAmI(bob, bobsServer)).toBe('bob@provider');
    expect(await whoAmI(alice, serverId)).toBe('alice@provider');
    // Sealed at rest: the database holds no token in the clear.
    const [row] = await mcp.db.$queryRaw<Array<{ sealed_tokens: string; sealed_client: string }>>`SELECT sealed_tokens, sealed_client FROM oauth_grants WHERE server_id = ${serverId}::uuid`;
    expect(row!.sealed_tokens).not.toMatch(/at_|rt_|Bearer/);
    expect(row!.sealed_client).not.toMatch(/client_secret/);
  });

  it('refreshes tokens before they expire, without any call waiting for it', async () => {
    const oauth = await oauthServer(6);
    const user = newUserId();
    const serverId = await register(user, oauth.url);
    await authorizeAs(oauth, 'idle@provider', user, serverId);
    const refusedBefore = oauth.refusedRequests;
    await eventually(async () => oauth.refreshes >= 1, 'the scheduled refresh', 15_000);
    // Past the first token's life: the call is made with the refreshed one, never refused.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await whoAmI(user, serverId)).toBe('idle@provider');
    expect(oauth.refusedRequests).toBe(refusedBefore);
  });

  it('refreshes a refused token once, however many calls find it refused', async () => {
    const oauth = await oauthServer();
    const user = newUserId();
    const serverId = await register(user, oauth.url);
    await authorizeAs(oauth, 'busy@provider', user, serverId);
    expect(await whoAmI(user, serverId)).toBe('busy@provider');
    oauth.expireAccessTokens();
    const refreshesBefore = oauth.refreshes;
    // Refresh tokens rotate strictly: a second refresh with the spent one would lose the grant.
    const answers = await Promise.all(Array.from({ length: 8 }, () => whoAmI(user, serverId)));
    expect(answers).toEqual(Array(8).fill('busy@provider'));
    expect(oauth.refreshes).toBe(refreshesBefore + 1);
    expect((await authorization(user, serverId)).authorization.status).toBe('AUTHORIZED');
  });

  it('refreshes once between two processes that both find the token refused', async () => {
    const oauth = await oauthServer();
    const user = newUserId();
    const serverId = await register(user, oauth.url);
    await authorizeAs(oauth, 'shared@provider', user, serverId);
    const deps = { db: mcp.db, secretsKey: atRestKey(TEST_ENV.MCP_SECRETS_KEY), fetch, config: { connectTimeoutMs: 5000 } as McpConfig, logger: createLogger('mcp-test', 'silent') };
    const server = { id: serverId, userId: user, authRequired: true };
    const [first, second] = [new GrantTokens(deps).authorizationFor(server), new GrantTokens(deps).authorizationFor(server)];
    const token = await first.token();
    expect(await second.token()).toBe(token);
    const refreshesBefore = oauth.refreshes;
    const [fromFirst, fromSecond] = await Promise.all([first.refused(token), second.refused(token)]);
    expect(fromFirst).toEqual(expect.any(String));
    expect(fromSecond).toBe(fromFirst);
    expect(fromFirst).not.toBe(token);
    expect(oauth.refreshes).toBe(refreshesBefore + 1);
  });

  it('asks its owner again when the grant is no longer honoured, and revoking forgets it here and there', async () => {
    const oauth = await oauthServer();
    const user = newUserId();
    const serverId = await register(user, oauth.url);
    await authorizeAs(oauth, 'leaving@provider', user, serverId);
    expect(await whoAmI(user, serverId)).toBe('leaving@provider');

    oauth.revokeAll();
    expectAuthorizationRequired(await callWhoAmI(user, serverId), /authorize again/);
    expect((await authorization(user, serverId)).authorization).toMatchObject({ status: 'EXPIRED', lastError: expect.stringMatching(/refresh refused/) });

    await authorizeAs(oauth, 'leaving@provider', user, serverId);
    expect(await whoAmI(user, serverId)).toBe('leaving@provider');
    const revoked = expectNoGraphQLErrors(await mcp.request(RevokeAuthorizationDocument, { serverId }, as(user))).revokeMcpAuthorization;
    expect(revoked.authorization.status).toBe('REQUIRED');
    expect(oauth.revocations).toBe(1);
    expectAuthorizationRequired(await callWhoAmI(user, serverId), /requires authorization/);
  });

  it('the callback finishes only what it started, and shows what it was sent safely', async () => {
    const oauth = await oauthServer();
    const user = newUserId();
    const serverId = await register(user, oauth.url);
    const base = mcp.service.graphqlUrl.replace(/\/graphql$/, '');
    const unknown = await fetch(`${base}/oauth/callback?state=forged&code=anything`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/unknown or expired/);
    expect((await fetch(`${base}/oauth/callback`, { method: 'POST' })).status).toBe(405);

    const state = (await start(user, serverId)).searchParams.get('state')!;
    const refused = await fetch(`${base}/oauth/callback?state=${state}&error=access_denied&error_description=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).toContain('access_denied');
    expect(text).not.toContain('<script>');
    expect(text).toContain('&#60;script&#62;');
    // A code said to come from another authorization server (a mix-up) is not exchanged.
    const mixedUp = (await start(user, serverId)).searchParams.get('state')!;
    const mixUp = await fetch(`${base}/oauth/callback?state=${mixedUp}&code=x&iss=${encodeURIComponent('https://evil.example/')}`);
    expect(mixUp.status).toBe(400);
    expect(await mixUp.text()).toMatch(/another authorization server/);
    expect((await authorization(user, serverId)).authorization.status).toBe('REQUIRED');
  });

  it('is not started for servers that do not use OAuth, or that are not HTTP, or not the user\'s', async () => {
    const plain = await startSdkMcpServer();
    sdkServers.push(plain);
    const user = newUserId();
    const plainId = expectNoGraphQLErrors(await mcp.request(RegisterServerDocument, { input: { name: 'Plain', transport: 'STREAMABLE_HTTP', url: plain.url('streamableHttp') } }, as(user))).registerMcpServer.id;
    const notOAuth = await mcp.request(StartAuthorizationDocument, { serverId: plainId }, as(user));
    expect(notOAuth.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/does not use OAuth/), extensions: { code: 'BAD_USER_INPUT' } });
    const stdioId = expectNoGraphQLErrors(await mcp.request(RegisterServerDocument, { input: { name: 'Local', transport: 'STDIO', command: 'everything' } }, as(user))).registerMcpServer.id;
    expect(errorCodesOf(await mcp.request(StartAuthorizationDocument, { serverId: stdioId }, as(user)))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodesOf(await mcp.request(StartAuthorizationDocument, { serverId: plainId }, as(newUserId())))).toEqual(['NOT_FOUND']);
    expect(errorCodesOf(await mcp.request(StartAuthorizationDocument, { serverId: 'not-an-id' }, as(user)))).toEqual(['NOT_FOUND']);
    // Its calls are untouched by any of this.
    expect((await mcp.request(CallToolDocument, { serverId: plainId, name: 'add', arguments: { a: 1, b: 2 } }, as(user))).body.data?.callMcpTool?.structuredContent).toEqual({ sum: 3 });
  });
});

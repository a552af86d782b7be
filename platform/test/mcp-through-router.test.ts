// MCP servers through the router, as a client uses them: register, test, list tools with the
// user's other fields, call a tool; a server that stops is reported OFFLINE by the subscription
// within the check interval (calls in between fail fast and clearly), and ONLINE again when it
// comes back; a server with a fallback keeps answering. An OAuth server is authorized by each
// user through the API and the mcp service's callback, and answers each as themselves.
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { startEverything, startOAuthMcpServer, startSdkMcpServer, type EverythingHttp, type OAuthMcpServer, type SdkMcpServer } from '@builderai/testkit';
import { signUp, startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterMcpServerInput!) { registerMcpServer(input: $input) { id status } }`;
const TEST = `mutation ($id: ID!) { testMcpServer(id: $id) { ok error tools { name } } }`;
const CALL = `mutation ($id: ID!, $name: String!, $args: JSON) { callMcpTool(serverId: $id, name: $name, arguments: $args) { content structuredContent isError } }`;
const MINE = `query { me { profile { name } mcpServers { name status tools { name } owner { id } } } }`;
const STATUS = `subscription ($id: ID) { mcpServerStatusChanged(serverId: $id) { status previousStatus error server { id name status } } }`;

let platform: RunningPlatform;
const clients: Client[] = [];
const servers: Array<EverythingHttp | SdkMcpServer | OAuthMcpServer> = [];
beforeAll(async () => {
  platform = await startTestPlatform({ MCP_ALLOW_NETWORKS: 'loopback', MCP_CHECK_INTERVAL_SECONDS: '1', MCP_BREAKER_FAILURES: '1', MCP_BREAKER_OPEN_SECONDS: '2' });
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  for (const server of servers) await ('close' in server ? server.close() : server.stop());
  await platform?.close();
});

const newUser = () => signUp(platform, 'Tool User');

test('register, test and call server-everything through the router, with the user\'s other fields', async () => {
  const everything = await startEverything('streamableHttp');
  servers.push(everything);
  const user = await newUser();
  const { id } = (await user.data(REGISTER, { input: { name: 'Everything', transport: 'STREAMABLE_HTTP', url: everything.url } })).registerMcpServer;
  expect((await user.data(TEST, { id })).testMcpServer).toMatchObject({ ok: true, error: null });
  const { me } = await user.data(MINE);
  expect(me).toMatchObject({ profile: { name: 'Tool User' }, mcpServers: [{ name: 'Everything', status: 'ONLINE', owner: { id: user.userId } }] });
  expect(me.mcpServers[0].tools.map((tool: { name: string }) => tool.name)).toContain('echo');
  const echo = (await user.data(CALL, { id, name: 'echo', args: { message: 'through the router' } })).callMcpTool;
  expect(echo).toMatchObject({ isError: false, content: [{ type: 'text', text: 'Echo: through the router' }] });
  // Another user can neither see nor call it.
  const stranger = await newUser();
  expect((await stranger.ask(CALL, { id, name: 'echo', args: { message: 'x' } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  // Private networks stay closed through the router too.
  const refused = await user.ask(REGISTER, { input: { name: 'Metadata', transport: 'STREAMABLE_HTTP', url: 'http://169.254.169.254/' } });
  expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
});

test('a server that stops is reported OFFLINE by the subscription, calls fail fast meanwhile, and it comes back ONLINE', async () => {
  const server = await startSdkMcpServer();
  const fallback = await startSdkMcpServer();
  servers.push(server, fallback);
  const user = await newUser();
  const { id } = (await user.data(REGISTER, { input: { name: 'Watched', transport: 'STREAMABLE_HTTP', url: server.url('streamableHttp') } })).registerMcpServer;
  const withFallback = (await user.data(REGISTER, { input: { name: 'Backed up', transport: 'STREAMABLE_HTTP', url: server.url('streamableHttp'), fallbackUrls: [fallback.url('streamableHttp')] } })).registerMcpServer.id;

  const client = createClient({ url: platform.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: { authorization: `Bearer ${user.token}` } });
  clients.push(client);
  const events = client.iterate({ query: STATUS, variables: { id } });
  const next = async () => {
    const result = await events.next();
    expect(result.done).toBe(false);
    expect(result.value.errors).toBeUndefined();
    return (result.value.data as any).mcpServerStatusChanged;
  };
  // Checked within the interval: ONLINE.
  expect(await next()).toMatchObject({ status: 'ONLINE', previousStatus: 'UNKNOWN', server: { id, name: 'Watched' } });
  expect((await user.data(CALL, { id, name: 'add', args: { a: 1, b: 2 } })).callMcpTool.structuredContent).toEqual({ sum: 3 });

  await server.stop();
  const offline = await next();
  expect(offline).toMatchObject({ status: 'OFFLINE', previousStatus: 'ONLINE', error: expect.stringMatching(/refused|could not|closed/), server: { status: 'OFFLINE' } });
  // Calls in between fail at once with a clear error; the one with a fallback keeps answering.
  const down = await user.ask(CALL, { id, name: 'add', args: { a: 1, b: 2 } });
  expect(down.errors?.[0]).toMatchObject({ extensions: { code: 'UNAVAILABLE' }, message: expect.stringMatching(/Watched/) });
  expect((await user.data(CALL, { id: withFallback, name: 'add', args: { a: 2, b: 2 } })).callMcpTool.structuredContent).toEqual({ sum: 4 });

  await server.start();
  expect(await next()).toMatchObject({ status: 'ONLINE', previousStatus: 'OFFLINE' });
  expect((await user.data(CALL, { id, name: 'add', args: { a: 5, b: 5 } })).callMcpTool.structuredContent).toEqual({ sum: 10 });
  await events.return?.();
});

test('an OAuth server is authorized by each user through the API and answers each as themselves', async () => {
  const oauth = await startOAuthMcpServer();
  servers.push(oauth);
  const START = `mutation ($id: ID!) { startMcpAuthorization(serverId: $id) { url expiresAt } }`;
  const AUTHORIZATION = `query ($id: ID!) { mcpServer(id: $id) { authorization { status } } }`;
  const whoAmI = async (user: Awaited<ReturnType<typeof newUser>>, id: string) => (await user.data(CALL, { id, name: 'whoAmI', args: {} })).callMcpTool.content[0].text;
  async function authorize(user: Awaited<ReturnType<typeof newUser>>, subject: string) {
    const { id } = (await user.data(REGISTER, { input: { name: 'Protected', transport: 'STREAMABLE_HTTP', url: oauth.url } })).registerMcpServer;
    const before = await user.ask(CALL, { id, name: 'whoAmI', args: {} });
    expect(before.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', authorizationRequired: true });
    oauth.setUser(subject);
    const { url } = (await user.data(START, { id })).startMcpAuthorization;
    // The browser: the authorization server approves and sends it to the mcp service's callback.
    const callback = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect((await user.data(AUTHORIZATION, { id })).mcpServer.authorization.status).toBe('AUTHORIZED');
    return id;
  }
  const alice = await newUser();
  const bob = await newUser();
  const alicesServer = await authorize(alice, 'alice@provider');
  const bobsServer = await authorize(bob, 'bob@provider');
  expect(await whoAmI(alice, alicesServer)).toBe('alice@provider');
  expect(await whoAmI(bob, bobsServer)).toBe('bob@provider');
  expect((await bob.ask(CALL, { id: alicesServer, name: 'whoAmI', args: {} })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

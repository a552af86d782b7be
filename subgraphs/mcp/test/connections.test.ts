// Connecting to real MCP servers: server-everything over stdio (allow-listed), Streamable HTTP
// and SSE, and servers built with the SDK. Tools are listed and called through one pooled
// session per user and server; a server that stops fails calls fast (its breaker) and is used
// again once a check finds it back; a fallback URL keeps a server answering; a session the
// server forgot is reopened without failing the call; announced tool changes are kept.
import { startEverything, startSdkMcpServer, useService, type EverythingHttp, type SdkMcpServer } from '@builderai/testkit';
import mcpSubgraph from '../src/index.js';
import { as, errorCodesOf, eventually, expectNoGraphQLErrors, newUserId, TEST_ENV } from './helpers.js';
import { CallToolDocument, RegisterServerDocument, ServerDocument, ServerToolConsentsDocument, SetConsentDocument, TestServerDocument, type RegisterMcpServerInput } from './generated/operations.js';

describe('connections', () => {
  const mcp = useService(mcpSubgraph, { env: { ...TEST_ENV, MCP_BREAKER_FAILURES: '2', MCP_BREAKER_OPEN_SECONDS: '60', MCP_CHECK_INTERVAL_SECONDS: '3600' } });
  const http: EverythingHttp[] = [];
  const sdk: SdkMcpServer[] = [];
  afterAll(async () => {
    await Promise.all([...http.map((server) => server.stop()), ...sdk.map((server) => server.close())]);
  });

  async function registered(userId: string, input: RegisterMcpServerInput) {
    return expectNoGraphQLErrors(await mcp.request(RegisterServerDocument, { input }, as(userId))).registerMcpServer.id;
  }
  const call = (userId: string, serverId: string, name: string, args: Record<string, unknown> = {}) => mcp.request(CallToolDocument, { serverId, name, arguments: args }, as(userId));
  const text = (result: { content: unknown }) => (result.content as Array<{ type: string; text?: string }>).map((block) => block.text ?? '').join('');

  it.each([
    ['STDIO', async () => ({ transport: 'STDIO' as const, command: 'everything' })],
    ['STREAMABLE_HTTP', async () => {
      const server = await startEverything('streamableHttp');
      http.push(server);
      return { transport: 'STREAMABLE_HTTP' as const, url: server.url };
    }],
    ['SSE', async () => {
      const server = await startEverything('sse');
      http.push(server);
      return { transport: 'SSE' as const, url: server.url };
    }],
  ])('tests, lists and calls server-everything over %s', async (_, where) => {
    const userId = newUserId();
    const serverId = await registered(userId, { name: 'Everything', ...(await where()) });
    const test = expectNoGraphQLErrors(await mcp.request(TestServerDocument, { id: serverId }, as(userId))).testMcpServer;
    expect(test).toMatchObject({ ok: true, error: null, latencyMs: expect.any(Number) });
    expect(test.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    const server = expectNoGraphQLErrors(await mcp.request(ServerDocument, { id: serverId }, as(userId))).mcpServer!;
    expect(server).toMatchObject({ status: 'ONLINE', lastError: null, lastConnectedAt: expect.any(String) });
    expect(server.tools.find((tool) => tool.name === 'echo')?.inputSchema).toMatchObject({ type: 'object', properties: { message: expect.anything() } });

    const echo = expectNoGraphQLErrors(await call(userId, serverId, 'echo', { message: 'hello' })).callMcpTool;
    expect(echo).toMatchObject({ isError: false, durationMs: expect.any(Number) });
    expect(text(echo)).toBe('Echo: hello');
    const sum = expectNoGraphQLErrors(await call(userId, serverId, 'get-sum', { a: 2, b: 3 })).callMcpTool;
    expect(text(sum)).toMatch(/5/);
    // A wrong call is the tool's error, readable, not a failure of the platform.
    const wrong = expectNoGraphQLErrors(await call(userId, serverId, 'no-such-tool')).callMcpTool;
    expect(wrong.isError).toBe(true);
    const metrics = expectNoGraphQLErrors(await mcp.request(ServerDocument, { id: serverId }, as(userId))).mcpServer!.metrics;
    // The test was a check; the scheduler may have checked the new server too.
    expect(metrics).toMatchObject({ calls: 3, failedCalls: 1, uptime: 1 });
    expect(metrics.checks).toBeGreaterThanOrEqual(1);
  });

  it("shares one session per user and server; another user's call cannot use it", async () => {
    const server = await startSdkMcpServer();
    sdk.push(server);
    const userId = newUserId();
    const serverId = await registered(userId, { name: 'Adder', transport: 'STREAMABLE_HTTP', url: server.url('streamableHttp') });
    const results = await Promise.all([1, 2, 3, 4, 5].map((a) => call(userId, serverId, 'add', { a, b: 10 })));
    expect(results.map((result) => expectNoGraphQLErrors(result).callMcpTool.structuredContent)).toEqual([11, 12, 13, 14, 15].map((sum) => ({ sum })));
    expect(server.sessions()).toBe(1);
    expect(errorCodesOf(await call(newUserId(), serverId, 'add', { a: 1, b: 1 }))).toEqual(['NOT_FOUND']);
    expect(server.sessions()).toBe(1);
  });

  it('gives a failing tool as isError and a tool past its timeout as UNAVAILABLE', async () => {
    const server = await startSdkMcpServer();
    sdk.push(server);
    const userId = newUserId();
    const serverId = await registered(userId, { name: 'Slow', transport: 'SSE', url: server.url('sse'), timeoutMs: 300 });
    expect(expectNoGraphQLErrors(await call(userId, serverId, 'fail')).callMcpTool.isError).toBe(true);
    const slow = await call(userId, serverId, 'slow', { ms: 2000 });
    expect(errorCodesOf(slow)).toEqual(['UNAVAILABLE']);
    expect(slow.body.errors?.[0]?.message).toMatch(/did not answer within 300 ms/);
    // The server was told to stop working on it.
    await eventually(async () => (server.cancellations >= 1 ? true : undefined), 'the slow call to be cancelled');
  });

  it('fails calls fast while a server is down, and uses it again once a check finds it back', async () => {
    const server = await startSdkMcpServer();
    sdk.push(server);
    const userId = newUserId();
    const serverId = await registered(userId, { name: 'Flaky', transport: 'STREAMABLE_HTTP', url: server.url('streamableHttp') });
    expectNoGraphQLErrors(await call(userId, serverId, 'echo', { message: 'up' }));
    await server.stop();
    // The session is gone and the server refuses connections: each call says so...
    for (let i = 0; i < 2; i++) {
      const down = await call(userId, serverId, 'echo', { message: 'down?' });
      expect(errorCodesOf(down)).toEqual(['UNAVAILABLE']);
      expect(down.body.errors?.[0]?.message).toMatch(/could not be reached|refused|closed/);
    }
    // ...until the breaker opens: then calls fail at once without trying the server.
    await server.start();
    const before = server.requests;
    const fast = await call(userId, serverId, 'echo', { message: 'still down?' });
    expect(errorCodesOf(fast)).toEqual(['UNAVAILABLE']);
    expect(fast.body.errors?.[0]?.message).toMatch(/not answering/);
    expect(server.requests).toBe(before);
    // A check finds it back: calls go through again.
    expect(expectNoGraphQLErrors(await mcp.request(TestServerDocument, { id: serverId }, as(userId))).testMcpServer.ok).toBe(true);
    expect(text(expectNoGraphQLErrors(await call(userId, serverId, 'echo', { message: 'back' })).callMcpTool)).toMatch(/back/);
  });

  it('reopens a session the server forgot without failing the call', async () => {
    const server = await startSdkMcpServer();
    sdk.push(server);
    const userId = newUserId();
    const serverId = await registered(userId, { name: 'Restarts', transport: 'STREAMABLE_HTTP', url: server.url('streamableHttp') });
    expectNoGraphQLErrors(await call(userId, serverId, 'echo', { message: 'one' }));
    await server.stop();
    await server.start();
    expect(text(expectNoGraphQLErrors(await call(userId, serverId, 'echo', { message: 'two' })).callMcpTool)).toMatch(/two/);
  });

  it('answers on a fallback URL when the first does not, and says the server is DEGRADED', async () => {
    const primary = await startSdkMcpServer();
    const fallback = await startSdkMcpServer();
    sdk.push(primary, fallback);
    await primary.stop();
    const userId = newUserId();
    const serverId = await registered(userId, { name: 'Failover', transport: 'STREAMABLE_HTTP', url: primary.url('streamableHttp'), fallbackUrls: [fallback.url('streamableHttp')] });
    expect(expectNoGraphQLErrors(await call(userId, serverId, 'add', { a: 1, b: 2 })).callMcpTool.structuredContent).toEqual({ sum: 3 });
    const test = expectNoGraphQLErrors(await mcp.request(TestServerDocument, { id: serverId }, as(userId))).testMcpServer;
    expect(test).toMatchObject({ ok: true, url: fallback.url('streamableHttp') });
    expect(expectNoGraphQLErrors(await mcp.request(ServerDocument, { id: serverId }, as(userId))).mcpServer?.status).toBe('DEGRADED');
  });

  it("keeps the tools a server announces while a session is open", async () => {
    const server = await startSdkMcpServer();
    sdk.push(server);
    const userId = newUserId();
    const serverId = await registered(userId, { name: 'Growing', transport: 'SSE', url: server.url('sse') });
    expectNoGraphQLErrors(await call(userId, serverId, 'echo', { message: 'open' }));
    server.addTool('shout', { description: 'Shouts', handler: () => 'HEY' });
    await eventually(async () => {
      const tools = expectNoGraphQLErrors(await mcp.request(ServerDocument, { id: serverId }, as(userId))).mcpServer!.tools;
      return tools.some((tool) => tool.name === 'shout') ? tools : undefined;
    }, 'the new tool to be kept');
  });

  it('refuses a server that turns out to be on a network users may not reach, at connection time', async () => {
    const userId = newUserId();
    const serverId = await registered(userId, { name: 'Gone private', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp' });
    // The row is changed behind the API's back, as a DNS answer can change after registration.
    await mcp.db.mcpServer.update({ where: { id: serverId }, data: { url: 'http://169.254.169.254/mcp' } });
    const refused = await call(userId, serverId, 'echo', { message: 'x' });
    expect(errorCodesOf(refused)).toEqual(['UNAVAILABLE']);
    expect(refused.body.errors?.[0]?.message).toMatch(/metadata|link-local/i);
  });

  it("keeps the owner's consent per tool, ASK until set", async () => {
    const server = await startSdkMcpServer();
    sdk.push(server);
    const userId = newUserId();
    const serverId = await registered(userId, { name: 'Consents', transport: 'STREAMABLE_HTTP', url: server.url('streamableHttp') });
    expectNoGraphQLErrors(await mcp.request(TestServerDocument, { id: serverId }, as(userId)));
    const consents = async () => Object.fromEntries(expectNoGraphQLErrors(await mcp.request(ServerToolConsentsDocument, { id: serverId }, as(userId))).mcpServer!.tools.map((tool) => [tool.name, tool.consent]));
    expect(await consents()).toEqual({ add: 'ASK', echo: 'ASK', slow: 'ASK', fail: 'ASK' });
    expect(expectNoGraphQLErrors(await mcp.request(SetConsentDocument, { serverId, tool: 'add', consent: 'ALWAYS' }, as(userId))).setMcpToolConsent).toEqual({ name: 'add', consent: 'ALWAYS' });
    expectNoGraphQLErrors(await mcp.request(SetConsentDocument, { serverId, tool: 'fail', consent: 'NEVER' }, as(userId)));
    expect(await consents()).toEqual({ add: 'ALWAYS', echo: 'ASK', slow: 'ASK', fail: 'NEVER' });
    const unknown = await mcp.request(SetConsentDocument, { serverId, tool: 'nope', consent: 'ALWAYS' }, as(userId));
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tool' });
    expect(errorCodesOf(await mcp.request(SetConsentDocument, { serverId, tool: 'add', consent: 'NEVER' }, as(newUserId())))).toEqual(['NOT_FOUND']);
  });
});

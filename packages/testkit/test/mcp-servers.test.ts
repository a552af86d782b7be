// The local MCP servers the mcp service's tests run against, exercised with the SDK's own client
// over the real protocol: server-everything on all three transports, the SDK server's controls,
// and the OAuth-protected server's whole authorization flow.
import { randomUUID } from 'node:crypto';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { startEverything, startOAuthMcpServer, startSdkMcpServer, type OAuthMcpServer, type SdkMcpServer } from '../src/mcp-servers/index.js';
import { eventually } from '../src/waiting.js';

const CALL = { timeout: 15_000 };

const clients: Client[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((client) => client.close()));
});

async function connect(transport: Transport): Promise<Client> {
  const client = new Client({ name: 'testkit-test', version: '1.0.0' });
  await client.connect(transport, CALL);
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, CALL)) as CallToolResult;
}

// Server notifications outside a request, and nothing else, travel on the client's GET stream; a test
// that needs it (or needs it settled before changing what its requests will meet) waits for it to open.
function watchGetStream() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const fetchWatching = async (url: string | URL, init?: RequestInit) => {
    const response = await fetch(url, init);
    if (init?.method === 'GET' && response.ok) open();
    return response;
  };
  return { fetch: fetchWatching, opened };
}

const text = (result: CallToolResult) => result.content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join('');

describe('server-everything', () => {
  it('answers echo over stdio, started by the client from the allow-listable command', async () => {
    const { command, args } = await startEverything('stdio');
    expect(command).toBe(process.execPath);
    expect(args[0]).toMatch(/server-everything\/dist\/index\.js$/);
    const client = await connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
    expect(text(await call(client, 'echo', { message: 'over stdio' }))).toBe('Echo: over stdio');
  });

  it('answers echo over Streamable HTTP, and again after a restart on the same port', async () => {
    const server = await startEverything('streamableHttp');
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/mcp`);
      const client = await connect(new StreamableHTTPClientTransport(new URL(server.url)));
      expect(text(await call(client, 'echo', { message: 'over http' }))).toBe('Echo: over http');

      const pid = server.pid;
      await server.restart();
      expect(server.pid).not.toBe(pid);
      // The old session died with the old process; a new connection works.
      await expect(call(client, 'echo', { message: 'stale' })).rejects.toBeInstanceOf(StreamableHTTPError);
      const again = await connect(new StreamableHTTPClientTransport(new URL(server.url)));
      expect(text(await call(again, 'echo', { message: 'after restart' }))).toBe('Echo: after restart');
    } finally {
      await server.stop();
    }
  });

  it('answers echo over legacy SSE, and refuses connections once stopped', async () => {
    const server = await startEverything('sse');
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/sse`);
      const client = await connect(new SSEClientTransport(new URL(server.url)));
      expect(text(await call(client, 'echo', { message: 'over sse' }))).toBe('Echo: over sse');
      await client.close();
    } finally {
      await server.stop();
    }
    await expect(fetch(server.url)).rejects.toThrow();
  });
});

describe('SDK MCP server', () => {
  let server: SdkMcpServer;
  beforeEach(async () => {
    server = await startSdkMcpServer({
      tools: [{ name: 'shout', inputSchema: { word: z.string() }, handler: ({ word }: { word: string }) => word.toUpperCase() }],
    });
  });
  afterEach(() => server.close());

  it.each(['streamableHttp', 'sse'] as const)('adds over %s, with structured content', async (transport) => {
    const url = new URL(server.url(transport));
    const client = await connect(transport === 'sse' ? new SSEClientTransport(url) : new StreamableHTTPClientTransport(url));
    const result = await call(client, 'add', { a: 2, b: 3 });
    expect(text(result)).toBe('5');
    expect(result.structuredContent).toEqual({ sum: 5 });
    expect(text(await call(client, 'echo', { message: 'hi' }))).toBe('hi');
    expect(text(await call(client, 'shout', { word: 'hi' }))).toBe('HI');
    expect(server.sessions()).toBe(1);
    expect(server.requests).toBeGreaterThan(0);
  });

  it('reports a failing tool as an error result, and counts a cancelled slow call', async () => {
    const client = await connect(new StreamableHTTPClientTransport(new URL(server.url('streamableHttp'))));
    const failed = await call(client, 'fail');
    expect(failed.isError).toBe(true);
    expect(text(failed)).toContain('always fails');

    const controller = new AbortController();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    // slow reports progress as it starts: cancelling after that reaches the running tool.
    const slow = client.callTool({ name: 'slow', arguments: { ms: 60_000 } }, undefined, { signal: controller.signal, onprogress: () => started() });
    await running;
    controller.abort('test');
    await expect(slow).rejects.toThrow();
    await eventually(async () => server.cancellations === 1, 'the slow tool to see the cancellation');
  });

  it('refuses connections while stopped and serves again after start()', async () => {
    const url = new URL(server.url('streamableHttp'));
    const before = await connect(new StreamableHTTPClientTransport(url));

    await server.stop();
    expect(server.sessions()).toBe(0);
    await expect(connect(new StreamableHTTPClientTransport(url))).rejects.toThrow();
    await expect(call(before, 'echo', { message: 'down' })).rejects.toThrow();

    await server.start();
    const after = await connect(new StreamableHTTPClientTransport(url));
    expect(text(await call(after, 'add', { a: 1, b: 1 }))).toBe('2');
    // Sessions did not survive the stop.
    await expect(call(before, 'echo', { message: 'stale' })).rejects.toMatchObject({ code: 404 });
  });

  it('tells a connected client that the tool list changed when a tool is added', async () => {
    const stream = watchGetStream();
    const client = await connect(new StreamableHTTPClientTransport(new URL(server.url('streamableHttp')), { fetch: stream.fetch }));
    const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    await stream.opened;

    server.addTool('multiply', { inputSchema: { a: z.number(), b: z.number() }, handler: ({ a, b }: { a: number; b: number }) => String(a * b) });
    await changed;
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('multiply');
    expect(text(await call(client, 'multiply', { a: 6, b: 7 }))).toBe('42');
  });
});

// What an MCP client application keeps per user: registration, PKCE verifier and tokens, in memory.
class MemoryOAuthClient implements OAuthClientProvider {
  authorizationUrl?: URL;
  expectedState?: string;
  private info?: OAuthClientInformationMixed;
  private saved?: OAuthTokens;
  private verifier?: string;

  get redirectUrl() {
    return 'http://127.0.0.1/oauth/callback';
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'testkit-test',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state() {
    return (this.expectedState = randomUUID());
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    if (!this.verifier) throw new Error('no code verifier saved');
    return this.verifier;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'client') this.info = undefined;
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
  }
}

describe('OAuth MCP server', () => {
  let server: OAuthMcpServer;
  afterEach(() => server.close());

  // The whole flow a user goes through, returning a client connected with the user's tokens.
  async function authorize(user: { loginHint?: string } = {}) {
    const provider = new MemoryOAuthClient();
    const url = new URL(server.url);
    await expect(connect(new StreamableHTTPClientTransport(url, { authProvider: provider }))).rejects.toBeInstanceOf(UnauthorizedError);
    const authorizationUrl = new URL(provider.authorizationUrl!);
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(new URL('authorize', server.issuer).href);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('resource')).toBe(server.url);
    if (user.loginHint) authorizationUrl.searchParams.set('login_hint', user.loginHint);

    const approval = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(approval.status).toBe(302);
    const callback = new URL(approval.headers.get('location')!);
    expect(callback.origin + callback.pathname).toBe(provider.redirectUrl);
    expect(callback.searchParams.get('state')).toBe(provider.expectedState);

    await new StreamableHTTPClientTransport(url, { authProvider: provider }).finishAuth(callback.searchParams.get('code')!);
    // Once the GET stream is open, a later 401 comes from one request at a time: two concurrent
    // refreshes with the same refresh token would spend it twice, and the server rotates strictly.
    const stream = watchGetStream();
    const transport = new StreamableHTTPClientTransport(url, { authProvider: provider, fetch: stream.fetch });
    const client = await connect(transport);
    await stream.opened;
    return { provider, transport, client };
  }

  it('answers 401 pointing at its protected resource metadata, which leads to the authorization server', async () => {
    server = await startOAuthMcpServer();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate')!;
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)![1];
    expect(metadataUrl).toBe(new URL('.well-known/oauth-protected-resource/mcp', server.issuer).href);

    const resource = await (await fetch(metadataUrl)).json();
    expect(resource).toMatchObject({ resource: server.url, authorization_servers: [server.issuer] });
    const metadata = await (await fetch(new URL('.well-known/oauth-authorization-server', server.issuer))).json();
    expect(metadata).toMatchObject({ issuer: server.issuer, code_challenge_methods_supported: ['S256'], grant_types_supported: ['authorization_code', 'refresh_token'] });
    expect(metadata.registration_endpoint).toBe(new URL('register', server.issuer).href);
  });

  it("connects after the authorization code flow, and one user's grant never serves another", async () => {
    server = await startOAuthMcpServer();
    const alice = await authorize({ loginHint: 'alice' });
    expect(text(await call(alice.client, 'whoAmI'))).toBe('alice');

    server.setUser('bob');
    const bob = await authorize();
    expect(text(await call(bob.client, 'whoAmI'))).toBe('bob');
    expect(text(await call(alice.client, 'whoAmI'))).toBe('alice');
    expect(server.tokensIssued).toBe(2);

    // Bob's token on Alice's session is refused.
    const hijack = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: bob.provider, sessionId: alice.transport.sessionId });
    const intruder = await connect(hijack);
    await expect(call(intruder, 'whoAmI')).rejects.toMatchObject({ code: 403 });
  });

  it('refreshes an expired access token and carries on for the same user', async () => {
    server = await startOAuthMcpServer();
    const { client, provider } = await authorize({ loginHint: 'carol' });
    const first = provider.tokens()!;

    server.expireAccessTokens();
    expect(text(await call(client, 'whoAmI'))).toBe('carol');
    expect(server.refreshes).toBe(1);
    expect(provider.tokens()!.access_token).not.toBe(first.access_token);
    // Refresh tokens rotate: the spent one is no good any more.
    expect(provider.tokens()!.refresh_token).not.toBe(first.refresh_token);

    // A revoked access token is refreshed the same way; a revoked grant needs a new authorization.
    server.revoke(provider.tokens()!.access_token);
    expect(text(await call(client, 'whoAmI'))).toBe('carol');
    expect(server.refreshes).toBe(2);
    server.revoke(provider.tokens()!.refresh_token!);
    await expect(call(client, 'whoAmI')).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('expires access tokens after their TTL', async () => {
    server = await startOAuthMcpServer({ accessTokenTtlSeconds: 1 });
    const { client } = await authorize({ loginHint: 'dave' });
    const refreshes = server.refreshes;
    // Past the TTL, whatever happened before, the token in hand has expired.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(text(await call(client, 'whoAmI'))).toBe('dave');
    expect(server.refreshes).toBeGreaterThan(refreshes);
  });
});

describe('request timeouts', () => {
  it('end a call the server never answers in time with RequestTimeout', async () => {
    const server = await startSdkMcpServer();
    try {
      const client = await connect(new StreamableHTTPClientTransport(new URL(server.url('streamableHttp'))));
      const error = await client.callTool({ name: 'slow', arguments: { ms: 60_000 } }, undefined, { timeout: 200 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).code).toBe(ErrorCode.RequestTimeout);
    } finally {
      await server.close();
    }
  });
});

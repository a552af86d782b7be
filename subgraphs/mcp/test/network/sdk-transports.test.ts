// The guarded fetch under the MCP SDK's own HTTP transports, against a local MCP server.
import { getEventListeners, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { parseNetworkPolicy, PUBLIC_ONLY } from '../../src/network/address-policy.js';
import { createGuardedFetch, type FetchLike, type GuardedFetch } from '../../src/network/guarded-fetch.js';

function mcpServer(): McpServer {
  const server = new McpServer({ name: 'local', version: '1.0.0' });
  server.registerTool('hello', { description: 'Says hello' }, async () => ({ content: [{ type: 'text', text: 'hello' }] }));
  return server;
}

let http: Server;
let port: number;
const sseSessions = new Map<string, SSEServerTransport>();

beforeAll(async () => {
  http = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/mcp') {
      // Stateless Streamable HTTP: one server per request.
      const server = mcpServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => void server.close());
      await server.connect(transport);
      await transport.handleRequest(req, res);
    } else if (url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      sseSessions.set(transport.sessionId, transport);
      res.on('close', () => sseSessions.delete(transport.sessionId));
      await mcpServer().connect(transport);
    } else if (url.pathname === '/messages') {
      const transport = sseSessions.get(url.searchParams.get('sessionId') ?? '');
      if (transport) await transport.handlePostMessage(req, res);
      else res.writeHead(404).end();
    } else {
      res.writeHead(404).end();
    }
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  port = (http.address() as AddressInfo).port;
});

afterAll(async () => {
  http.closeAllConnections();
  http.close();
  await once(http, 'close');
});

const fetches: GuardedFetch[] = [];
afterEach(async () => {
  await Promise.all(fetches.splice(0).map((guarded) => guarded.close()));
});

function guardedFetch(allow: string): GuardedFetch {
  const guarded = createGuardedFetch(allow ? parseNetworkPolicy(allow) : PUBLIC_ONLY);
  fetches.push(guarded);
  return guarded;
}

/** The fetch, noting every signal the transport hands it. */
function watching(fetch: FetchLike): { fetch: FetchLike; signals: Set<AbortSignal> } {
  const signals = new Set<AbortSignal>();
  return {
    signals,
    fetch: (url, init) => {
      if (init?.signal) signals.add(init.signal);
      return fetch(url, init);
    },
  };
}

const listeners = (signals: Set<AbortSignal>) => [...signals].reduce((sum, signal) => sum + getEventListeners(signal, 'abort').length, 0);

describe('the MCP SDK over the guarded fetch', () => {
  it('lists and calls tools over Streamable HTTP, with no listener piling up on the transport signal', async () => {
    const { fetch, signals } = watching(guardedFetch('loopback'));
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { fetch }));
    try {
      expect((await client.listTools()).tools.map(({ name }) => name)).toEqual(['hello']);
      const afterOne = listeners(signals);
      for (let i = 0; i < 10; i++) await client.callTool({ name: 'hello' });
      expect(await client.callTool({ name: 'hello' })).toMatchObject({ content: [{ type: 'text', text: 'hello' }] });
      expect(listeners(signals)).toBe(afterOne);
    } finally {
      await client.close();
    }
    expect(listeners(signals)).toBe(0);
  });

  it('lists tools over HTTP+SSE, the event stream included', async () => {
    const { fetch, signals } = watching(guardedFetch('loopback'));
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`http://127.0.0.1:${port}/sse`), { fetch, eventSourceInit: { fetch } }));
    try {
      expect((await client.listTools()).tools.map(({ name }) => name)).toEqual(['hello']);
      const afterOne = listeners(signals);
      for (let i = 0; i < 10; i++) await client.callTool({ name: 'hello' });
      expect(listeners(signals)).toBe(afterOne);
    } finally {
      await client.close();
    }
  });

  it('cannot connect to the local server when loopback is not allowed', async () => {
    const fetch = guardedFetch('');
    const streamable = new Client({ name: 'test', version: '1.0.0' });
    await expect(streamable.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { fetch }))).rejects.toThrow(
      '127.0.0.1 is a loopback address',
    );
    const sse = new Client({ name: 'test', version: '1.0.0' });
    const transport = new SSEClientTransport(new URL(`http://127.0.0.1:${port}/sse`), { fetch, eventSourceInit: { fetch } });
    try {
      await expect(sse.connect(transport)).rejects.toThrow('127.0.0.1 is a loopback address');
    } finally {
      // The event source would otherwise retry.
      await transport.close();
    }
    expect(sseSessions.size).toBe(0);
  });
});

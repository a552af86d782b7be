// Opening an MCP client session to a server: its transport (Streamable HTTP, the older
// HTTP+SSE, WebSocket, or an allow-listed local command over stdio), the protocol's
// initialization within a deadline, and the fallback URLs in order when one does not answer.
// HTTP goes through a fetch that only reaches allowed networks; so do WebSockets' lookups.
import type { LookupFunction } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpTransport } from '../generated/prisma/client.ts';
import type { StdioCommand } from '../config.js';
import { WebSocketClientTransport } from './websocket-transport.js';
import { readableError } from './errors.js';
import { AuthorizationRequiredError, authorizedFetch, type ServerAuthorization } from './authorized-fetch.js';

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Where and how to reach one server, as stored (headers opened). */
export interface ServerEndpoint {
  id: string;
  userId: string;
  transport: McpTransport;
  /** The URL, then its fallbacks, in order (none for STDIO). */
  urls: string[];
  /** STDIO: the allow-listed command. */
  command: StdioCommand | null;
  headers: Record<string, string>;
  /** Longest a call may take. */
  timeoutMs: number;
  /** The user's OAuth tokens for the server (HTTP transports): sent with every request. */
  authorization?: ServerAuthorization;
}

export type ListKind = 'tools' | 'resources' | 'prompts';

export interface OpenOptions {
  fetch: FetchLike;
  lookup: LookupFunction;
  /** Refuses a URL users may not reach (a WebSocket's IP-address host is never looked up). */
  checkUrl: (url: URL) => Promise<unknown>;
  connectTimeoutMs: number;
  /** The server said its tools, resources or prompts changed (the new list). */
  onListChanged?: (kind: ListKind, items: unknown[]) => void;
}

export interface OpenedClient {
  client: Client;
  /** The URL that answered (null for STDIO). */
  url: string | null;
  /** Which of the endpoint's URLs it is: 0 for the first. */
  urlIndex: number;
  close(): Promise<void>;
}

/** No URL of the server answered; `message` says why for each, in words a user can act on. */
export class ConnectError extends Error {
  override name = 'ConnectError';
  constructor(
    message: string,
    /** The last failure (its cause). */
    readonly last: unknown,
  ) {
    super(message);
  }
}

export const CLIENT_INFO = { name: 'builderai', version: '1.0.0' };

function transportFor(endpoint: ServerEndpoint, url: string | null, options: OpenOptions): Transport {
  const requestInit = { headers: endpoint.headers };
  const fetch = url && endpoint.authorization ? authorizedFetch(options.fetch, new URL(url).origin, endpoint.authorization) : options.fetch;
  switch (endpoint.transport) {
    case 'STREAMABLE_HTTP':
      return new StreamableHTTPClientTransport(new URL(url!), {
        requestInit,
        fetch,
        // The pool reopens a session itself; the transport's own retries would hide an outage.
        reconnectionOptions: { initialReconnectionDelay: 1000, maxReconnectionDelay: 10_000, reconnectionDelayGrowFactor: 2, maxRetries: 0 },
      });
    case 'SSE':
      return new SSEClientTransport(new URL(url!), {
        requestInit,
        fetch,
        eventSourceInit: { fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...endpoint.headers } }) },
      });
    case 'WEBSOCKET':
      return new WebSocketClientTransport(new URL(url!), { headers: endpoint.headers, lookup: options.lookup, checkUrl: options.checkUrl });
    case 'STDIO': {
      if (!endpoint.command) throw new Error('its command is no longer allowed on this platform (MCP_STDIO_COMMANDS)');
      const { command, args, env } = endpoint.command;
      // Its output on stderr is not read: piping it unread would block the process.
      return new StdioClientTransport({ command, args, env, stderr: 'ignore' });
    }
  }
}

function newClient(options: OpenOptions): Client {
  const changed = (kind: ListKind) => ({
    onChanged: (error: Error | null, items: unknown[] | null) => {
      if (!error && items) options.onListChanged?.(kind, items);
    },
  });
  return new Client(CLIENT_INFO, { capabilities: {}, listChanged: { tools: changed('tools'), resources: changed('resources'), prompts: changed('prompts') } });
}

/** Connects to the first URL of the server that answers; ConnectError naming why none did. */
export async function openClient(endpoint: ServerEndpoint, options: OpenOptions): Promise<OpenedClient> {
  const candidates: Array<string | null> = endpoint.transport === 'STDIO' ? [null] : endpoint.urls;
  const reasons: string[] = [];
  let last: unknown;
  for (const [urlIndex, url] of candidates.entries()) {
    const client = newClient(options);
    let transport: Transport | undefined;
    try {
      transport = transportFor(endpoint, url, options);
      await client.connect(transport, { timeout: options.connectTimeoutMs });
      const connected = transport;
      return { client, url, urlIndex, close: () => closeClient(client, connected) };
    } catch (error) {
      // The server answered: it wants authorization, which no fallback URL would change.
      if (error instanceof AuthorizationRequiredError) {
        if (transport) await closeClient(client, transport).catch(() => undefined);
        throw error;
      }
      last = error;
      reasons.push(`${url ?? 'the command'}: ${readableError(error, options.connectTimeoutMs)}`);
      if (transport) await closeClient(client, transport).catch(() => undefined);
    }
  }
  throw new ConnectError(reasons.length === 1 ? reasons[0]! : `No URL answered (${reasons.join('; ')})`, last);
}

/** Ends the session on the server too (Streamable HTTP keeps it otherwise), then the transport. */
async function closeClient(client: Client, transport: Transport): Promise<void> {
  if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) await transport.terminateSession().catch(() => undefined);
  await client.close();
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

// Stateful MCP sessions over HTTP, one McpServer each (an McpServer serves a single transport):
// Streamable HTTP keyed by the Mcp-Session-Id header, legacy SSE keyed by the ?sessionId= of its POSTs.

/** A request as the SDK's transports read it; `auth` is what requireBearerAuth sets. */
export type McpRequest = IncomingMessage & { auth?: AuthInfo };

export interface McpSessionsOptions {
  /**
   * Who a request acts for (e.g. the token's subject). A session stays with whoever opened it:
   * requests for someone else's session are refused with 403.
   */
  ownerOf?: (request: McpRequest) => string | undefined;
}

export interface McpSessions {
  /** Serves POST/GET/DELETE on a Streamable HTTP endpoint; pass the body if a framework already read it. */
  streamable(request: McpRequest, response: ServerResponse, parsedBody?: unknown): Promise<void>;
  /** Opens a legacy SSE stream (GET) that tells the client to POST to `messagesPath`. */
  sseStream(request: McpRequest, response: ServerResponse, messagesPath: string): Promise<void>;
  /** Takes a legacy SSE client's POSTed message (`?sessionId=`). */
  sseMessage(request: McpRequest, response: ServerResponse, parsedBody?: unknown): Promise<void>;
  /** The McpServers of the live sessions. */
  servers(): McpServer[];
  readonly size: number;
  /** Closes every session (their streams end; their ids are unknown afterwards). */
  closeAll(): Promise<void>;
}

interface Session {
  server: McpServer;
  transport: StreamableHTTPServerTransport | SSEServerTransport;
  owner: string | undefined;
}

export function mcpSessions(makeServer: (request: McpRequest) => McpServer, { ownerOf = () => undefined }: McpSessionsOptions = {}): McpSessions {
  const sessions = new Map<string, Session>();

  // Answers as the Streamable HTTP transport does for a session it does not know, or refuses another owner's.
  const rejected = (request: McpRequest, response: ServerResponse, session: Session | undefined, kind: typeof StreamableHTTPServerTransport | typeof SSEServerTransport): boolean => {
    if (!(session?.transport instanceof kind)) {
      jsonRpcError(response, 404, -32001, 'Session not found');
      return true;
    }
    if (session.owner !== ownerOf(request)) {
      jsonRpcError(response, 403, -32000, 'Session belongs to someone else');
      return true;
    }
    return false;
  };

  return {
    async streamable(request, response, parsedBody) {
      const id = header(request, 'mcp-session-id');
      if (id !== undefined) {
        const session = sessions.get(id);
        if (rejected(request, response, session, StreamableHTTPServerTransport)) return;
        await (session!.transport as StreamableHTTPServerTransport).handleRequest(request, response, parsedBody);
        return;
      }
      // No session yet: only an initialize request opens one (the transport answers 400 to anything else).
      const server = makeServer(request);
      const owner = ownerOf(request);
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => void sessions.set(sessionId, { server, transport, owner }),
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await server.connect(transport);
      await transport.handleRequest(request, response, parsedBody);
    },

    async sseStream(request, response, messagesPath) {
      const server = makeServer(request);
      const transport = new SSEServerTransport(messagesPath, response);
      sessions.set(transport.sessionId, { server, transport, owner: ownerOf(request) });
      // Set before connect, which chains its own handler after this one.
      transport.onclose = () => void sessions.delete(transport.sessionId);
      await server.connect(transport);
    },

    async sseMessage(request, response, parsedBody) {
      const id = new URL(request.url ?? '/', 'http://localhost').searchParams.get('sessionId') ?? '';
      const session = sessions.get(id);
      if (rejected(request, response, session, SSEServerTransport)) return;
      await (session!.transport as SSEServerTransport).handlePostMessage(request, response, parsedBody);
    },

    servers: () => [...sessions.values()].map((session) => session.server),
    get size() {
      return sessions.size;
    },

    async closeAll() {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map((session) => session.server.close()));
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function jsonRpcError(response: ServerResponse, status: number, code: number, message: string): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

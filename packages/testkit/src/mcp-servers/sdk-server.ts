import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { mcpSessions } from './mcp-sessions.js';
import { defaultTestTools, registerTestTool, type McpTestTool } from './tools.js';

// An MCP server built with the SDK, on 127.0.0.1, that tests can stop, start again and change under
// connected clients: Streamable HTTP on /mcp and the legacy HTTP+SSE transport on /sse + POST /messages.

export interface SdkMcpServerOptions {
  /** Served besides the defaults (add, echo, slow, fail); a tool with a default's name replaces it. */
  tools?: McpTestTool[];
  /** Default: a free port picked by the OS. */
  port?: number;
}

export interface SdkMcpServer {
  url(transport: 'streamableHttp' | 'sse'): string;
  port: number;
  /** HTTP requests received so far (every POST, GET stream and DELETE counts). */
  readonly requests: number;
  /** `slow` calls that ended because the client cancelled them. */
  readonly cancellations: number;
  /** Live sessions, both transports. */
  sessions(): number;
  /** Registers a tool on every live session (each sends notifications/tools/list_changed) and on later ones. */
  addTool(name: string, tool: Omit<McpTestTool, 'name'>): void;
  /** Removes a tool everywhere (each live session sends notifications/tools/list_changed). */
  removeTool(name: string): void;
  /** Closes every session and the listener: new connections are refused until start(). */
  stop(): Promise<void>;
  /** Listens again on the same port (sessions from before are gone). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startSdkMcpServer(options: SdkMcpServerOptions = {}): Promise<SdkMcpServer> {
  const counts = { cancellations: 0 };
  const tools = new Map<string, McpTestTool>();
  for (const tool of [...defaultTestTools(counts), ...(options.tools ?? [])]) tools.set(tool.name, tool);
  // Each session's handle on each tool, so removeTool reaches the live sessions.
  const registered = new WeakMap<McpServer, Map<string, RegisteredTool>>();
  let requests = 0;

  const sessions = mcpSessions(() => {
    const server = new McpServer({ name: 'testkit-sdk-server', version: '1.0.0' });
    const handles = new Map<string, RegisteredTool>();
    for (const tool of tools.values()) handles.set(tool.name, registerTestTool(server, tool));
    registered.set(server, handles);
    return server;
  });

  const listener = http.createServer(async (request, response) => {
    requests++;
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    try {
      if (pathname === '/mcp') await sessions.streamable(request, response);
      else if (pathname === '/sse' && request.method === 'GET') await sessions.sseStream(request, response, '/messages');
      else if (pathname === '/messages' && request.method === 'POST') await sessions.sseMessage(request, response);
      else response.writeHead(404).end();
    } catch (error) {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(String(error));
    }
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, '127.0.0.1', () => {
        listener.off('error', reject);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const port = (listener.address() as AddressInfo).port;

  const stop = async () => {
    await sessions.closeAll();
    if (!listener.listening) return;
    const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
    // Open SSE streams and keep-alive sockets would hold close() back; a stopped server drops them.
    listener.closeAllConnections();
    await closed;
  };

  return {
    url: (transport) => `http://127.0.0.1:${port}/${transport === 'sse' ? 'sse' : 'mcp'}`,
    port,
    get requests() {
      return requests;
    },
    get cancellations() {
      return counts.cancellations;
    },
    sessions: () => sessions.size,
    addTool(name, tool) {
      if (tools.has(name)) throw new Error(`tool ${name} already exists`);
      const full = { ...tool, name };
      tools.set(name, full);
      for (const server of sessions.servers()) registered.get(server)!.set(name, registerTestTool(server, full));
    },
    removeTool(name) {
      if (!tools.delete(name)) throw new Error(`no tool ${name}`);
      for (const server of sessions.servers()) {
        const handles = registered.get(server)!;
        handles.get(name)?.remove();
        handles.delete(name);
      }
    },
    stop,
    async start() {
      if (!listener.listening) await listen(port);
    },
    close: stop,
  };
}

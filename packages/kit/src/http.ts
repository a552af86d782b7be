// Plain node:http plumbing shared by the router and every subgraph: bounded bodies,
// JSON answers, and the bridge to Apollo Server's executeHTTPGraphQLRequest.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Liveness } from './liveness.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) throw new HttpError(413, `Request body is larger than ${maxBytes} bytes`, 'PAYLOAD_TOO_LARGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, `Request body is larger than ${maxBytes} bytes`, 'PAYLOAD_TOO_LARGE');
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

/** A GraphQL-shaped error answer for failures before execution (bad JSON, body too large...). */
export function sendGraphQLError(res: ServerResponse, error: HttpError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] }, headers);
}

export function parseJsonBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  if (contentType && !contentType.includes('json')) return raw.toString('utf8');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'Malformed JSON body');
  }
}

export interface GraphQLHandlerOptions<TContext extends BaseContext> {
  maxBodyBytes: number;
  context: (req: IncomingMessage, res: ServerResponse) => Promise<TContext>;
  /** Runs before the body is read; returns false once it has answered the request itself. */
  before?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /**
   * What to write for a complete answer: the same text, or bytes already encoded for it (the
   * router encodes an answer many requests share once, instead of once per request).
   */
  encodeBody?: (body: string) => string | Uint8Array;
  /** Counts each request as waiting until it is answered (or its stream starts): /health/live. */
  liveness?: Liveness;
}

export function graphqlHandler<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  options: GraphQLHandlerOptions<TContext>,
): RouteHandler {
  return async (req, res) => {
    try {
      if (options.before && !(await options.before(req, res))) return;
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const body = req.method === 'POST' ? parseJsonBody(await readBody(req, options.maxBodyBytes), req.headers['content-type']) : undefined;
      const url = req.url ?? '/';
      const queryAt = url.indexOf('?');
      const execute = () =>
        server.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: queryAt >= 0 ? url.slice(queryAt) : '', body },
          context: () => options.context(req, res),
        });
      const response = await (options.liveness ? options.liveness.track(execute) : execute());
      for (const [name, value] of response.headers) res.setHeader(name, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(options.encodeBody ? options.encodeBody(response.body.string) : response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
      } else if (error instanceof HttpError) {
        sendGraphQLError(res, error);
      } else {
        sendGraphQLError(res, new HttpError(500, 'Internal server error', 'INTERNAL_SERVER_ERROR'));
      }
    }
  };
}

export interface RunningHttpServer {
  server: http.Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * Routes are matched on the path alone: exactly, or by prefix for a key ending in `/*`
 * (e.g. `/preview/*` serves a whole tree). Anything else is a 404.
 */
export async function listen(routes: Record<string, RouteHandler>, port: number, host = '127.0.0.1'): Promise<RunningHttpServer> {
  const prefixes = Object.keys(routes)
    .filter((key) => key.endsWith('/*'))
    .map((key) => [key.slice(0, -1), routes[key]!] as const);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt >= 0 ? url.slice(0, queryAt) : url;
    const handler = routes[path] ?? prefixes.find(([prefix]) => path.startsWith(prefix))?.[1];
    if (!handler) return sendJson(res, 404, { error: 'not found' });
    Promise.resolve(handler(req, res)).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

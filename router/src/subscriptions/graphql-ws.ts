// Subscriptions over WebSocket (the graphql-transport-ws protocol of `graphql-ws`) on the public
// listener's /graphql. The per-IP window counts the upgrade before anything else; the access token
// comes in connectionParams (`authorization: "Bearer <token>"`, or `token`), is checked when the
// connection opens, and its session is checked again by every subscription. A revoked session's
// subscriptions end with UNAUTHENTICATED and its connections close.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse, type GraphQLError } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Identity, Logger } from '@builderai/kit';
import type { Admission } from '../rate-limits/leases.js';
import { formatGraphQLError, formatResult, type SubscriptionService } from './subscribe.js';

export interface GraphQLWsOptions {
  server: Server;
  path: string;
  service: SubscriptionService;
  authenticate(authorization: string | undefined, ip: string): Promise<Identity>;
  clientIp(req: IncomingMessage): string;
  admitIp?(req: IncomingMessage): Promise<Admission>;
  onSessionsRevoked(listener: (sessionIds: string[]) => void): () => void;
  maxPayload: number;
  logger: Logger;
}

type ConnectionState = {
  identity: Identity;
  connection: { subscriptions: number };
};

/** Close codes of graphql-ws clients' vocabulary: 4401 Unauthorized, 4403 Forbidden, 4429 too many. */
const UNAUTHORIZED = 4401;
const FORBIDDEN = 4403;
/** WebSocket's own "Try Again Later". */
const TRY_AGAIN_LATER = 1013;

const pathOf = (url = '/') => url.split('?')[0];
// graphql-ws reads the operation type from the document it is given; the real one was checked.
const SUBSCRIPTION_DOCUMENT = parse('subscription { __typename }');

/** The Authorization value: `authorization`, `Authorization`, the same under `headers` (as some IDEs send it), or `token`. */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const headers = typeof params?.headers === 'object' && params.headers !== null ? (params.headers as Record<string, unknown>) : {};
  const value = params?.authorization ?? params?.Authorization ?? headers.authorization ?? headers.Authorization;
  if (typeof value === 'string') return value;
  return typeof params?.token === 'string' ? `Bearer ${params.token}` : undefined;
}

function refuseUpgrade(socket: Duplex, status: string, headers: Record<string, string> = {}): void {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n${lines}\r\n`);
}

export function serveGraphQLWs(options: GraphQLWsOptions): { close(): Promise<void> } {
  const { service, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
  const sockets = new Map<string, Set<WebSocket>>();

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (pathOf(req.url) !== options.path) return refuseUpgrade(socket, '404 Not Found');
    const admission = await options.admitIp?.(req);
    if (admission && !admission.allowed) return refuseUpgrade(socket, '429 Too Many Requests', { 'retry-after': String(Math.max(1, Math.ceil(admission.retryAfterMs / 1000))) });
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    onUpgrade(req, socket, head).catch((error: unknown) => {
      logger.error({ err: error }, 'a WebSocket upgrade failed');
      socket.destroy();
    });
  };
  options.server.on('upgrade', upgrade);

  const stopListening = options.onSessionsRevoked((sessionIds) => {
    // The subscriptions end with their error first (subscriptions/index.ts); then the connection closes.
    for (const sessionId of sessionIds) {
      for (const socket of sockets.get(sessionId) ?? []) setTimeout(() => socket.close(FORBIDDEN, 'Session has been revoked'), 50).unref();
    }
  });

  const server = useServer<Record<string, unknown>, ConnectionState>(
    {
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        ctx.extra.connection = { subscriptions: 0 };
        try {
          const identity = await options.authenticate(authorizationOf(ctx.connectionParams), options.clientIp(request));
          await service.checkSession(identity);
          ctx.extra.identity = identity;
        } catch (error) {
          // A bad token or a revoked session is refused for good; the rest (the store or the
          // JWKS unreachable) is worth a retry.
          const refused = (error as GraphQLError).extensions?.code === 'UNAUTHENTICATED';
          socket.close(refused ? UNAUTHORIZED : TRY_AGAIN_LATER, (error as Error).message.slice(0, 120));
          return false;
        }
        const sessionId = ctx.extra.identity!.sessionId;
        if (sessionId) {
          const open = sockets.get(sessionId) ?? new Set();
          sockets.set(sessionId, open.add(socket));
          socket.once('close', () => {
            open.delete(socket);
            if (open.size === 0 && sockets.get(sessionId) === open) sockets.delete(sessionId);
          });
        }
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const started = await service.subscribe({ ...payload, identity: ctx.extra.identity!, connection: ctx.extra.connection! });
        if ('errors' in started) return started.errors;
        // graphql-ws wants execution arguments; ours carry the started subscription.
        return { schema: service.schema, document: SUBSCRIPTION_DOCUMENT, contextValue: started };
      },
      subscribe: (args) => args.contextValue as AsyncIterableIterator<never>,
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result),
      onError: (_ctx, _id, _payload, errors) => errors.map(formatGraphQLError),
    },
    wss,
  );

  return {
    async close() {
      options.server.off('upgrade', upgrade);
      stopListening();
      await server.dispose();
      wss.close();
    },
  };
}

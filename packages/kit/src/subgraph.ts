// Starts one federated subgraph: Apollo Server 5 over node:http and graphql-ws on /graphql,
// plus /health/live, /health/ready and /metrics. Every GraphQL request must carry an
// identity signed by the router.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from './logger.js';
import { formatError } from './errors.js';
import { graphqlHandler, listen, sendGraphQLError, HttpError, type RouteHandler, type RunningHttpServer } from './http.js';
import { healthRoutes, type ReadinessCheck } from './health.js';
import { Liveness } from './liveness.js';
import { createMetrics, metricsPlugin, metricsRoute } from './metrics.js';
import { guardOpsRoutes } from './ops-access.js';
import type { Env } from './database-url.js';
import { IDENTITY_HEADER, REQUEST_ID_HEADER, identityOf, requestIdOf, type RequestContext } from './context.js';
import type { Identity } from './identity.js';

export interface SubgraphOptions<TContext extends RequestContext> {
  name: string;
  schemaFile: URL | string;
  resolvers: GraphQLResolverMap<any>;
  port: number;
  host?: string;
  /** The router's public key: identities it signed are the only ones taken. */
  identityPublicKey: KeyObject;
  maxBodyBytes: number;
  logger: Logger;
  /** Builds the per-request context (loaders, database...) from the verified identity. */
  createContext: (base: RequestContext) => TContext;
  readiness?: Record<string, ReadinessCheck>;
  routes?: Record<string, RouteHandler>;
  /** A request waiting this long, none answered meanwhile, makes the process stuck (LIVENESS_STUCK_MS). */
  livenessStuckMs?: number;
  /** The service's environment (who may read its metrics and health detail). */
  env?: Env;
  /** Released after the server stopped (relay, consumers, clients). */
  onClose?: () => Promise<void>;
}

export interface RunningSubgraph extends RunningHttpServer {
  name: string;
  graphqlUrl: string;
}

export async function startSubgraph<TContext extends RequestContext>(options: SubgraphOptions<TContext>): Promise<RunningSubgraph> {
  const { name, identityPublicKey, logger } = options;
  const typeDefs = parse(readFileSync(options.schemaFile, 'utf8'));
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: options.resolvers }]);
  const metrics = createMetrics(name);

  const apollo = new ApolloServer<TContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // No inline (ftv1) traces: nothing here reports to Apollo Studio.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), metricsPlugin(metrics)],
    logger,
  });
  await apollo.start();

  const contextFor = (identity: Identity, req: IncomingMessage) => {
    const requestId = requestIdOf(req);
    const userAgent = req.headers['user-agent'];
    return options.createContext({ identity, requestId, userAgent, log: logger.child({ requestId }) });
  };

  // Checked before the body is read; the context reuses the answer (a signature check is not free).
  const verified = new WeakMap<IncomingMessage, Identity>();
  const liveness = new Liveness(options.livenessStuckMs ?? 60_000);
  const graphql = graphqlHandler(apollo, {
    maxBodyBytes: options.maxBodyBytes,
    liveness,
    before: (req, res) => {
      try {
        verified.set(req, identityOf(req.headers[IDENTITY_HEADER], identityPublicKey, { subgraph: name, requestId: requestIdOf(req) }));
        return true;
      } catch (error) {
        logger.warn({ reason: (error as Error).message }, 'refused a request without a router identity');
        sendGraphQLError(res, new HttpError(401, 'Requests must come through the router', 'UNAUTHENTICATED'));
        return false;
      }
    },
    context: async (req) => contextFor(verified.get(req) ?? identityOf(req.headers[IDENTITY_HEADER], identityPublicKey, { subgraph: name, requestId: requestIdOf(req) }), req),
  });

  const http = await listen(
    guardOpsRoutes({ '/graphql': graphql, '/metrics': metricsRoute(metrics), ...healthRoutes(name, { requests: liveness.check, ...options.readiness }, liveness), ...options.routes }, options.env ?? {}),
    options.port,
    options.host,
  );

  // Subscriptions: the router connects with the signed identity and its request id in connectionParams.
  const wsBinding = (params: Record<string, unknown> | undefined) => ({ subgraph: name, requestId: String(params?.[REQUEST_ID_HEADER] ?? '') });
  const wss = new WebSocketServer({ server: http.server, path: '/graphql' });
  const ws = useServer(
    {
      schema,
      onConnect: (ctx) => {
        try {
          identityOf(ctx.connectionParams?.[IDENTITY_HEADER] as string | undefined, identityPublicKey, wsBinding(ctx.connectionParams));
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) => contextFor(identityOf(ctx.connectionParams?.[IDENTITY_HEADER] as string, identityPublicKey, wsBinding(ctx.connectionParams)), ctx.extra.request),
      // Coded errors as they are, the rest masked: as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : undefined),
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatError(error.toJSON(), error)),
    },
    wss,
  );

  logger.info({ url: `${http.url}/graphql` }, `${name} subgraph ready`);
  return {
    ...http,
    name,
    graphqlUrl: `${http.url}/graphql`,
    async close() {
      await ws.dispose();
      await http.close();
      await apollo.stop();
      await options.onClose?.();
    },
  };
}

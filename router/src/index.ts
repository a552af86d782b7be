// The single endpoint: @apollo/gateway inside Apollo Server 5 on /graphql, serving the supergraph
// composed by `npm run compose`. Each feature is a folder whose index.ts is its face, a
// `<feature>Feature(options)` returning the pieces it adds (plugins, rules, hooks, routes);
// this file reads the config, builds each feature and puts them together. Runs itself when
// executed directly (`tsx router/src/index.ts`).
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import {
  connectInfrastructure,
  createLogger,
  formatError,
  graphqlHandler,
  type GraphQLHandlerOptions,
  type RouteHandler,
  infrastructureEnv,
  exitOnSignals,
  Liveness,
  guardOpsRoutes,
  routerKeysFrom,
  type RouterKeys,
  isMain,
  listen,
  loadConfig,
  type Env,
  type Infrastructure,
  type Logger,
} from '@builderai/kit';
import { loadRouterConfig } from './config.js';
import { contextFactory, type RouterContext } from './request-context.js';
import { resolveSubgraphUrls, type SubgraphUrls } from './subgraphs.js';
import { identityFeature } from './identity/index.js';
import { rateLimitsFeature } from './rate-limits/index.js';
import { operationLimitsFeature } from './operation-limits/index.js';
import { sharedExecutionFeature } from './shared-execution/index.js';
import { planExecutorFeature } from './plan-executor/index.js';
import { corsFeature } from './cors/index.js';
import { clientIpOf } from './identity/index.js';
import { explorerFeature } from './explorer/index.js';
import { subgraphFetchFeature } from './subgraph-fetch/index.js';
import { healthFeature } from './health/index.js';
import { metricsFeature } from './metrics/index.js';
import { subscriptionsFeature, wantsEventStream } from './subscriptions/index.js';

export type { RouterContext } from './request-context.js';

export const DEFAULT_SUPERGRAPH_PATH = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));
const DEFAULT_JWKS_URL = 'http://127.0.0.1:4001/.well-known/jwks.json';

export interface RouterOptions {
  /** Raw environment, validated by config.ts. */
  env: Env;
  infra: Infrastructure;
  logger: Logger;
  /** Signs identities for subgraphs (private key) and checks service tokens. */
  keys: RouterKeys;
  /** Subgraph URLs by subgraph name, over the supergraph's routing URLs and <NAME>_URL. */
  subgraphUrls?: SubgraphUrls;
  /** The supergraph SDL itself, instead of reading SUPERGRAPH_PATH. */
  supergraphSdl?: string;
}

export interface RunningRouter {
  url: string;
  port: number;
  graphqlUrl: string;
  /** Where services call as the users they act for (Authorization: Service). */
  internalGraphqlUrl: string;
  /** Client subscriptions open now, and the upstream ones they share. */
  subscriptions(): { open: number; upstreams: number };
  close(): Promise<void>;
}

/** Auth publishes its JWKS next to its GraphQL endpoint. */
const jwksUrlNear = (authGraphqlUrl: string | undefined) =>
  authGraphqlUrl ? new URL('/.well-known/jwks.json', authGraphqlUrl).href : DEFAULT_JWKS_URL;

export async function createRouter(options: RouterOptions): Promise<RunningRouter> {
  const { env, infra, logger, keys } = options;
  const config = loadRouterConfig(env);
  const supergraphSdl = options.supergraphSdl ?? readFileSync(config.SUPERGRAPH_PATH ?? DEFAULT_SUPERGRAPH_PATH, 'utf8');
  const subgraphUrls = resolveSubgraphUrls(supergraphSdl, env, options.subgraphUrls);

  const metrics = metricsFeature();
  const subgraphFetch = subgraphFetchFeature({
    subgraphUrls,
    identityPrivateKey: keys.identityPrivateKey,
    connections: config.SUBGRAPH_CONNECTIONS,
    timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    logger,
    metrics: metrics.instruments,
  });
  const identity = identityFeature({
    jwksUrl: config.AUTH_JWKS_URL ?? jwksUrlNear(subgraphUrls.auth),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    keys,
    store: infra.store,
    pubsub: infra.pubsub,
    logger,
    trustedProxies: config.TRUST_PROXY,
  });
  const clientIp = (req: IncomingMessage) => clientIpOf(req, config.TRUST_PROXY);
  const rateLimits = rateLimitsFeature({
    store: infra.store,
    limits: {
      windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
      anonymous: config.RATE_LIMIT_ANONYMOUS,
      authenticated: config.RATE_LIMIT_AUTHENTICATED,
      credentials: config.RATE_LIMIT_CREDENTIALS,
      perIp: config.RATE_LIMIT_PER_IP,
    },
    logger,
    clientIp,
  });
  const operationLimits = operationLimitsFeature({ maxDepth: config.MAX_DEPTH, maxCost: config.MAX_COST, maxRootFields: config.MAX_ROOT_FIELDS, maxIntrospectionDepth: config.MAX_INTROSPECTION_DEPTH, maxAliases: config.MAX_ALIASES });
  const sharedExecution = sharedExecutionFeature({ dedupe: config.QUERY_DEDUP_ENABLED });
  const explorer = explorerFeature(config.EXPLORER_ENABLED);
  const cors = corsFeature(config.CORS_ORIGINS);
  const subscriptions = subscriptionsFeature({
    supergraphSdl,
    subgraphUrls,
    serviceMap: subgraphFetch.serviceMap,
    identityPrivateKey: keys.identityPrivateKey,
    identity: { ...identity, identify: (req) => identity.identify(req, { acceptServiceTokens: false }) },
    clientIp,
    rateLimits: config.RATE_LIMIT_ENABLED ? rateLimits : undefined,
    validationRules: [operationLimits.validationRule],
    limits: {
      perConnection: config.MAX_SUBSCRIPTIONS_PER_CONNECTION,
      perUser: config.MAX_SUBSCRIPTIONS_PER_USER,
      maxQueued: config.SUBSCRIPTION_MAX_QUEUED,
      maxTokens: config.MAX_TOKENS,
    },
    maxBodyBytes: config.MAX_BODY_BYTES,
    logger,
  });
  metrics.observeSubscriptions(subscriptions.counts);
  const liveness = new Liveness(config.LIVENESS_STUCK_MS);
  const health = healthFeature({ subgraphUrls, readiness: infra.readiness, liveness });

  const gateway = new ApolloGateway({ supergraphSdl, logger, buildService: subgraphFetch.buildService });
  const planExecutor = planExecutorFeature({ enabled: config.ROUTER_EXECUTOR === 'own', serviceMap: subgraphFetch.serviceMap, dataFromText: sharedExecution.dataFromText });
  const apollo = new ApolloServer<RouterContext>({
    gateway: sharedExecution.wrapGateway(planExecutor.wrapGateway(gateway)),
    stringifyResult: sharedExecution.stringifyResult,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Refuses GETs and form-like POSTs without a header that forces a CORS preflight.
    csrfPrevention: true,
    introspection: explorer.introspection,
    // Parsing stops at MAX_TOKENS: a huge document costs little before it is refused.
    parseOptions: { maxTokens: config.MAX_TOKENS },
    validationRules: [operationLimits.validationRule],
    // Identity first: a revoked session is refused before it counts against a limit.
    plugins: [identity.plugin, ...(config.RATE_LIMIT_ENABLED ? [rateLimits.plugin] : []), explorer.plugin, metrics.plugin],
    logger,
    // Shutdown is ours (close() below), not Apollo's signal handlers.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  // Public: CORS answers preflights, then the per-IP window counts before the body is read.
  // Internal: services share an address, so only the per-user limits apply to them.
  const publicBefore: GraphQLHandlerOptions<RouterContext>['before'] = config.RATE_LIMIT_ENABLED
    ? async (req, res) => cors.before(req, res) && rateLimits.before(req, res)
    : cors.before;
  const graphqlFor = (acceptServiceTokens: boolean) =>
    graphqlHandler(apollo, {
      maxBodyBytes: config.MAX_BODY_BYTES,
      before: acceptServiceTokens ? undefined : publicBefore,
      encodeBody: sharedExecution.encodeBody,
      liveness,
      context: contextFactory({ identify: identity.identify, acceptServiceTokens }),
    });
  const publicGraphql = graphqlFor(false);
  // Subscriptions over SSE take the same per-IP window and CORS answers as any request.
  const graphqlRoute: RouteHandler = async (req, res) => {
    if (!wantsEventStream(req)) return publicGraphql(req, res);
    if (publicBefore && !(await publicBefore(req, res))) return;
    return subscriptions.sse(req, res);
  };
  const http = await listen(guardOpsRoutes({ '/graphql': graphqlRoute, ...metrics.routes, ...health.routes }, env), config.port, config.HOST);
  subscriptions.attach(http.server, '/graphql');
  // Services (files asking about a project, chat writing files) call here, never published.
  const internal = await listen({ '/graphql': graphqlFor(true) }, config.ROUTER_INTERNAL_PORT, config.ROUTER_INTERNAL_HOST);
  logger.info({ url: `${http.url}/graphql`, internal: `${internal.url}/graphql`, subgraphs: subgraphUrls }, 'router ready');

  return {
    url: http.url,
    port: http.port,
    graphqlUrl: `${http.url}/graphql`,
    internalGraphqlUrl: `${internal.url}/graphql`,
    subscriptions: subscriptions.counts,
    async close() {
      await subscriptions.close();
      await internal.close();
      await http.close();
      await apollo.stop();
      await subgraphFetch.close();
    },
  };
}

async function main(env: Env = process.env): Promise<void> {
  const logger = createLogger('router', env.LOG_LEVEL);
  try {
    loadRouterConfig(env);
    const infra = await connectInfrastructure(loadConfig(infrastructureEnv, env), logger);
    const router = await createRouter({ env, infra, logger, keys: routerKeysFrom(env, logger) });
    exitOnSignals(logger, 'router', async () => {
      await router.close();
      await infra.close();
    });
  } catch (error) {
    logger.fatal({ err: error }, (error as Error).message);
    process.exit(1);
  }
}

if (isMain(import.meta.url)) await main();

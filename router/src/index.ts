// The single endpoint: @apollo/gateway inside Apollo Server 5 on /graphql, serving the supergraph
// composed by `npm run compose`. Every feature is a plugin of its own (see plugins/); this file
// only puts them together. Runs itself when executed directly (`tsx router/src/index.ts`).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import {
  connectInfrastructure,
  createLogger,
  formatError,
  graphqlHandler,
  infrastructureEnv,
  internalSecretFrom,
  isMain,
  listen,
  loadConfig,
  metricsPlugin,
  metricsRoute,
  type Env,
  type Infrastructure,
  type Logger,
} from '@builderai/kit';
import { loadRouterConfig } from './config.js';
import { contextFactory, type RouterContext } from './request-context.js';
import { resolveSubgraphUrls, type SubgraphUrls } from './subgraphs.js';
import { createIdentity } from './plugins/identity.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { operationLimitsRule } from './plugins/operation-limits.js';
import { corsPolicy } from './plugins/cors.js';
import { landingPagePlugin } from './plugins/landing-page.js';
import { SubgraphDataSource } from './plugins/subgraph-fetch.js';
import { withOperationDedup } from './plugins/operation-dedup.js';
import { sharedResponseSerializer } from './plugins/response-serializer.js';
import { routerHealthRoutes } from './plugins/health.js';
import { createRouterMetrics } from './plugins/metrics.js';

export type { RouterContext } from './request-context.js';

export const DEFAULT_SUPERGRAPH_PATH = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));
const DEFAULT_JWKS_URL = 'http://127.0.0.1:4001/.well-known/jwks.json';

export interface RouterOptions {
  /** Raw environment, validated by config.ts. */
  env: Env;
  infra: Infrastructure;
  logger: Logger;
  /** Signs identities for subgraphs and verifies service tokens. */
  internalSecret: string;
  /** Subgraph URLs by subgraph name, over the supergraph's routing URLs and <NAME>_URL. */
  subgraphUrls?: SubgraphUrls;
  /** The supergraph SDL itself, instead of reading SUPERGRAPH_PATH. */
  supergraphSdl?: string;
}

export interface RunningRouter {
  url: string;
  port: number;
  graphqlUrl: string;
  close(): Promise<void>;
}

/** Auth publishes its JWKS next to its GraphQL endpoint. */
const jwksUrlNear = (authGraphqlUrl: string | undefined) =>
  authGraphqlUrl ? new URL('/.well-known/jwks.json', authGraphqlUrl).href : DEFAULT_JWKS_URL;

export async function createRouter(options: RouterOptions): Promise<RunningRouter> {
  const { env, infra, logger, internalSecret } = options;
  const config = loadRouterConfig(env);
  const supergraphSdl = options.supergraphSdl ?? readFileSync(config.SUPERGRAPH_PATH ?? DEFAULT_SUPERGRAPH_PATH, 'utf8');
  const subgraphUrls = resolveSubgraphUrls(supergraphSdl, env, options.subgraphUrls);
  const metrics = createRouterMetrics();

  const dataSources: SubgraphDataSource[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) => {
      const dataSource = new SubgraphDataSource({
        name,
        url: subgraphUrls[name] ?? url!,
        internalSecret,
        connections: config.SUBGRAPH_CONNECTIONS,
        timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
        logger,
        metrics,
      });
      dataSources.push(dataSource);
      return dataSource;
    },
  });

  const identity = createIdentity({
    jwksUrl: config.AUTH_JWKS_URL ?? jwksUrlNear(subgraphUrls.auth),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    internalSecret,
    store: infra.store,
    pubsub: infra.pubsub,
    logger,
  });

  const rateLimit = rateLimitPlugin(
    infra.store,
    {
      windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
      anonymous: config.RATE_LIMIT_ANONYMOUS,
      authenticated: config.RATE_LIMIT_AUTHENTICATED,
      credentials: config.RATE_LIMIT_CREDENTIALS,
    },
    logger,
  );

  // Requests that share an execution share its serialized, encoded answer too.
  const serializer = sharedResponseSerializer();
  const apollo = new ApolloServer<RouterContext>({
    gateway: config.QUERY_DEDUP_ENABLED ? withOperationDedup(gateway) : gateway,
    stringifyResult: serializer.stringifyResult,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Refuses GETs and form-like POSTs without a header that forces a CORS preflight.
    csrfPrevention: true,
    introspection: config.EXPLORER_ENABLED,
    validationRules: [operationLimitsRule({ maxDepth: config.MAX_DEPTH, maxCost: config.MAX_COST })],
    // Identity first: a revoked session is refused before it counts against a limit.
    plugins: [
      identity.plugin,
      ...(config.RATE_LIMIT_ENABLED ? [rateLimit] : []),
      landingPagePlugin(config.EXPLORER_ENABLED),
      metricsPlugin(metrics),
    ],
    logger,
    // Shutdown is ours (close() below), not Apollo's signal handlers.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const graphql = graphqlHandler(apollo, {
    maxBodyBytes: config.MAX_BODY_BYTES,
    before: corsPolicy(config.CORS_ORIGINS),
    encodeBody: serializer.encodeBody,
    context: contextFactory({ authenticate: identity.authenticate, trustedProxies: config.TRUST_PROXY }),
  });
  const http = await listen(
    { '/graphql': graphql, '/metrics': metricsRoute(metrics), ...routerHealthRoutes(subgraphUrls, infra.readiness) },
    config.port,
    config.HOST,
  );
  logger.info({ url: `${http.url}/graphql`, subgraphs: subgraphUrls }, 'router ready');

  return {
    url: http.url,
    port: http.port,
    graphqlUrl: `${http.url}/graphql`,
    async close() {
      await http.close();
      await apollo.stop();
      await Promise.all(dataSources.map((dataSource) => dataSource.close()));
    },
  };
}

async function main(env: Env = process.env): Promise<void> {
  const logger = createLogger('router', env.LOG_LEVEL);
  try {
    loadRouterConfig(env);
    const infra = await connectInfrastructure(loadConfig(infrastructureEnv, env), logger);
    const router = await createRouter({ env, infra, logger, internalSecret: internalSecretFrom(env, logger) });
    const stop = async () => {
      logger.info('router shutting down');
      await router.close();
      await infra.close();
      process.exit(0);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    logger.fatal({ err: error }, (error as Error).message);
    process.exit(1);
  }
}

if (isMain(import.meta.url)) await main();

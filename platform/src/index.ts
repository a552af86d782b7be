// Runs the whole platform in one process: every subgraph on its own port and the router in
// front, talking over real HTTP and WebSocket. `npm start` and the integration tests use it.
import {
  type AnySubgraphDefinition,
  connectInfrastructure,
  createLogger,
  infrastructureEnv,
  routerKeysFrom,
  type RouterKeys,
  loadConfig,
  startService,
  type Env,
  type Infrastructure,
  type Logger,
  type RunningSubgraph,
} from '@builderai/kit';
import { createRouter, type RunningRouter } from '@builderai/router';
import { loadSubgraphs } from './subgraphs.js';
import { provideDatabases } from './databases.js';

export { loadSubgraphs, type PlatformSubgraph } from './subgraphs.js';

export interface PlatformOptions {
  root: string;
  env?: Env;
  /** 'default' binds the documented ports; 'free' lets the system pick (tests). */
  ports?: 'default' | 'free';
  /** Apply migrations first (always done for embedded databases). */
  migrate?: boolean;
  /** Where embedded databases keep their data; in memory when undefined. */
  embeddedDataDir?: string;
  /** Definitions that replace a subgraph's own (tests: a chat instance that writes no answers). */
  definitions?: Record<string, AnySubgraphDefinition>;
}

export interface RunningPlatform {
  graphqlUrl: string;
  routerUrl: string;
  subgraphs: Record<string, RunningSubgraph>;
  router: RunningRouter;
  infra: Infrastructure;
  /** The keys the platform runs with (tests sign identities with them). */
  keys: RouterKeys;
  embedded: boolean;
  close(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const env = options.env ?? process.env;
  const logger = createLogger('platform', env.LOG_LEVEL);
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne().catch((error) => logger.warn({ err: error }, 'shutdown step failed'));
  };
  try {
    const subgraphList = await loadSubgraphs(options.root);
    const databases = await provideDatabases({
      services: subgraphList.map((entry) => entry.name),
      env,
      root: options.root,
      logger,
      migrate: options.migrate ?? false,
      embeddedDataDir: options.embeddedDataDir,
    });
    closers.push(() => databases.stop());
    const infra = await connectInfrastructure(loadConfig(infrastructureEnv, env), logger);
    closers.push(() => infra.close());
    // One process: the router and the subgraphs share the one key pair (subgraphs use its public half).
    const keys = routerKeysFrom(env, logger);
    const subgraphKeys = { identityPublicKey: keys.identityPublicKey, serviceTokenSecret: keys.serviceTokenSecret };

    // Subgraphs start first; calls they make through the router wait for its URL.
    let routerUrl: string | undefined;
    const routerUrlOf = () => {
      if (!routerUrl) throw new Error('the router is not up yet');
      return routerUrl;
    };
    const subgraphs: Record<string, RunningSubgraph> = {};
    for (const entry of subgraphList) {
      const port = String(options.ports === 'free' ? 0 : (env[`${entry.name.toUpperCase()}_PORT`] ?? entry.defaultPort));
      const service = await startService(options.definitions?.[entry.name] ?? entry.definition, {
        env: { ...env, PORT: port, [`${entry.name.toUpperCase()}_PORT`]: port },
        infra,
        logger: createLogger(entry.name, env.LOG_LEVEL),
        databaseUrl: databases.urls[entry.name]!,
        keys: subgraphKeys,
        routerUrl: routerUrlOf,
      });
      subgraphs[entry.name] = service;
      closers.push(() => service.close());
    }

    const routerPort = String(options.ports === 'free' ? 0 : (env.ROUTER_PORT ?? env.PORT ?? 4000));
    const router = await createRouter({
      env: {
        ...env,
        PORT: routerPort,
        ROUTER_PORT: routerPort,
        ...(options.ports === 'free' && { ROUTER_INTERNAL_PORT: '0' }),
        AUTH_JWKS_URL: env.AUTH_JWKS_URL ?? `${subgraphs.auth!.url}/.well-known/jwks.json`,
      },
      infra,
      logger: createLogger('router', env.LOG_LEVEL),
      keys,
      subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, service]) => [name, service.graphqlUrl])),
    });
    closers.push(() => router.close());
    // Services call the router's internal listener, the only one that takes their tokens.
    routerUrl = router.internalGraphqlUrl;

    return { graphqlUrl: router.graphqlUrl, routerUrl: router.url, subgraphs, router, infra, keys, embedded: databases.embedded, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export type { Logger };

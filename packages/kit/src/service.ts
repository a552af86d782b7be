// What a subgraph needs from its surroundings, and how a subgraph runs as its own process.
import { pathToFileURL } from 'node:url';
import type { Env } from './database-url.js';
import { databaseUrlFor } from './database-url.js';
import { ConfigError, infrastructureEnv, loadConfig } from './config.js';
import { subgraphKeysFrom, type ServiceKeys } from './keys.js';
import { createLogger, type Logger } from './logger.js';
import { connectInfrastructure, type Infrastructure } from './infrastructure.js';
import type { AnySubgraphDefinition } from './subgraph-definition.js';
import { startService } from './start-service.js';

export interface ServiceDeps {
  /** Raw environment; each service validates its own variables with zod. */
  env: Env;
  infra: Infrastructure;
  logger: Logger;
  /** Full URL of this service's own database. */
  databaseUrl: string;
  /** The router's public key and the service token secret. */
  keys: ServiceKeys;
  /** The router's GraphQL URL, for calls made on behalf of a user (known once the router is up). */
  routerUrl: () => string;
}

/** True when the module at `moduleUrl` is the process entry point. */
export const isMain = (moduleUrl: string) => process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;

/** Stops cleanly on SIGTERM or SIGINT, then exits. */
export function exitOnSignals(logger: Logger, name: string, stop: () => Promise<void>): void {
  const shutdown = async () => {
    logger.info(`${name} shutting down`);
    await stop();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/** Runs one subgraph as its own process: config, infrastructure, signals. */
export async function runService(definition: AnySubgraphDefinition, env: Env = process.env): Promise<void> {
  const { name } = definition;
  const logger = createLogger(name, env.LOG_LEVEL);
  try {
    const config = loadConfig(infrastructureEnv, env);
    const databaseUrl = databaseUrlFor(name, env);
    if (!databaseUrl) throw new ConfigError(`Invalid configuration:\n  DATABASE_URL or ${name.toUpperCase()}_DATABASE_URL: required`);
    const infra = await connectInfrastructure(config, logger);
    // The router's internal listener: the one that takes service tokens.
    const routerUrl = env.ROUTER_URL ?? 'http://127.0.0.1:4100/graphql';
    const service = await startService(definition, { env, infra, logger, databaseUrl, keys: subgraphKeysFrom(env, logger), routerUrl: () => routerUrl });
    exitOnSignals(logger, name, async () => {
      await service.close();
      await infra.close();
    });
  } catch (error) {
    logger.fatal({ err: error }, error instanceof ConfigError ? error.message : `${name} failed to start`);
    process.exit(1);
  }
}

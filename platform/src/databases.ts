// Where each service's database is: the configured Postgres server (a database per service),
// or (with no DATABASE_URL) one embedded PGlite with a schema per service.
import { databaseUrlFor, type Env, type Logger } from '@builderai/kit';
import { migrateService } from '@builderai/kit/migrate';
import { startEmbeddedPostgres } from '@builderai/kit/embedded-postgres';

export interface Databases {
  urls: Record<string, string>;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function provideDatabases(options: {
  services: string[];
  env: Env;
  root: string;
  logger: Logger;
  /** Apply migrations before the services start. */
  migrate: boolean;
  /** Where embedded databases keep their data; in memory when undefined. */
  embeddedDataDir?: string;
}): Promise<Databases> {
  const { services, env, root, logger } = options;
  const log = (line: string) => logger.info(line);
  if (env.DATABASE_URL) {
    const urls = Object.fromEntries(services.map((service) => [service, databaseUrlFor(service, env)!]));
    if (options.migrate) for (const service of services) await migrateService({ service, url: urls[service]!, root, log });
    return { urls, embedded: false, stop: async () => {} };
  }
  logger.info(`DATABASE_URL not set: one embedded PGlite, a schema per service (${options.embeddedDataDir ?? 'in memory'})`);
  // Migrated in-process, schema by schema (the Prisma CLI agrees with the result).
  const embedded = await startEmbeddedPostgres({ services, dataDir: options.embeddedDataDir, migrationsRoot: root, log });
  return { urls: embedded.urls, embedded: true, stop: () => embedded.stop() };
}

// A subgraph is a definition: its schema, resolvers, database, context and the events it
// consumes. The kit runs it (start-service.ts): the Prisma client, the outbox relay, retention,
// consumers, periodic jobs, routes, health and metrics, in one start order and its reverse.
import type { PrismaPg } from '@prisma/adapter-pg';
import type { Env } from './database-url.js';
import type { RequestContext } from './context.js';
import type { Logger } from './logger.js';
import type { Infrastructure } from './infrastructure.js';
import type { RouteHandler } from './http.js';
import type { ReadinessCheck } from './health.js';
import type { RetentionRule } from './retention.js';
import type { TransactionalSql } from './events/sql.js';
import type { EventConsumer } from './events/consumer.js';
import type { RouterClient } from './router-client.js';

/** What the kit needs of a service's Prisma client. */
export interface ServiceDatabase extends TransactionalSql {
  $disconnect(): Promise<void>;
}

/** What every running service has; a definition's `setup` adds its own. */
export interface ServiceRuntime<Db = ServiceDatabase, Config = unknown> {
  name: string;
  env: Env;
  config: Config;
  db: Db;
  infra: Infrastructure;
  logger: Logger;
  /** Calls the platform through the router as the user a request came from. */
  router: RouterClient;
  /** Publishes the events just committed to the outbox now, rather than at the relay's next pass. */
  publishEvents: () => void;
  /** The service's own base URL, once it listens. */
  ownUrl: () => string;
}

export interface PeriodicJob {
  /** Between passes, in ms (0: never). */
  intervalMs: number;
  run: () => Promise<unknown>;
}

export interface SubgraphDefinition<Db extends ServiceDatabase, Config, Extra, Context extends RequestContext> {
  /** As listed in supergraph.yaml, which also names its SDL file. */
  name: string;
  resolvers: object;
  /** The service's own variables (port, host and infrastructure are the kit's). */
  config?: (env: Env) => Config;
  /** The service's generated PrismaClient; the kit makes it with its adapter. */
  database: new (options: { adapter: PrismaPg }) => Db;
  /** What resolvers, routes and handlers share, built once at start. */
  setup?: (runtime: ServiceRuntime<Db, Config>) => Extra | Promise<Extra>;
  /** Releases what setup opened (connections, child processes) once nothing uses them any more. */
  stop?: (app: ServiceRuntime<Db, Config> & Extra) => Promise<void>;
  /** The per-request context. */
  context: (base: RequestContext, app: ServiceRuntime<Db, Config> & Extra) => Context;
  consumes?: EventConsumer<ServiceRuntime<Db, Config> & Extra>[];
  /** HTTP routes beside /graphql (a key ending in /* serves a tree). */
  routes?: (app: ServiceRuntime<Db, Config> & Extra) => Record<string, RouteHandler>;
  /** Background jobs besides the kit's retention. */
  periodic?: (app: ServiceRuntime<Db, Config> & Extra) => Record<string, PeriodicJob>;
  /** Rows this service keeps only for a while, besides the event tables. */
  retention?: (app: ServiceRuntime<Db, Config> & Extra) => RetentionRule[];
  /** Readiness checks besides its database and the shared infrastructure. */
  readiness?: (app: ServiceRuntime<Db, Config> & Extra) => Record<string, ReadinessCheck>;
}

/** Any definition, as the launcher and the testkit hold them. */
export type AnySubgraphDefinition = SubgraphDefinition<any, any, any, any>;

/** Types a definition; the kit runs it with startService or runService. */
export function defineSubgraph<Db extends ServiceDatabase, Context extends RequestContext, Config = undefined, Extra = {}>(
  definition: SubgraphDefinition<Db, Config, Extra, Context>,
): SubgraphDefinition<Db, Config, Extra, Context> {
  return definition;
}

/** The app a definition's parts receive, for services that name it. */
export type AppOf<D> = D extends SubgraphDefinition<infer Db, infer Config, infer Extra, any> ? ServiceRuntime<Db, Config> & Extra : never;

// Starts any subgraph definition in-process on a free port, on the run's freshly migrated
// database. Tests that are not about the broker run on the in-process bus, store and pub/sub
// (each service its own, so test files never see each other's events); `infrastructure: 'real'`
// gives the run's Redis and RabbitMQ.
import { randomUUID } from 'node:crypto';
import {
  connectInfrastructure,
  createLogger,
  databaseUrlFor,
  infrastructureEnv,
  loadConfig,
  prismaAdapter,
  routerKeysFrom,
  signIdentity,
  startService,
  IDENTITY_HEADER,
  REQUEST_ID_HEADER,
  type Identity,
  type Infrastructure,
  type RouterKeys,
  type RunningSubgraph,
  type ServiceDatabase,
  type SubgraphDefinition,
} from '@builderai/kit';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';

export interface TestServiceOptions {
  env?: Record<string, string | undefined>;
  /** 'memory' (the default): in-process twins; 'real': the run's Redis and RabbitMQ. */
  infrastructure?: 'memory' | 'real';
}

export interface GraphQLBody<T = any> {
  data?: T;
  errors?: any[];
}

export interface TestService<Db = unknown> {
  service: RunningSubgraph;
  infra: Infrastructure;
  /** The run's keys: the test signs identities as the router would. */
  keys: RouterKeys;
  /** A connection of its own to the service's database, for assertions on what was stored. */
  db: Db;
  /**
   * Sends a GraphQL request as the router would, with a signed identity. A typed document
   * (test/generated/operations.ts) types the variables and the answer.
   */
  request<T = any, V = Record<string, unknown>>(query: string | DocumentTypeDecoration<T, V>, variables?: V, identity?: Identity): Promise<{ status: number; body: GraphQLBody<T> }>;
  close(): Promise<void>;
}

export async function startTestService<Db extends ServiceDatabase>(
  definition: SubgraphDefinition<Db, any, any, any>,
  options: TestServiceOptions = {},
): Promise<TestService<Db>> {
  const { name } = definition;
  const env: Record<string, string | undefined> = { ...process.env, PORT: '0', [`${name.toUpperCase()}_PORT`]: '0', ...options.env };
  if (options.infrastructure !== 'real') Object.assign(env, { REDIS_URL: undefined, AMQP_URL: undefined });
  const logger = createLogger(name, env.LOG_LEVEL ?? 'silent');
  const databaseUrl = databaseUrlFor(name, env);
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: run tests through jest (global setup)');
  const infra = await connectInfrastructure(loadConfig(infrastructureEnv, env), logger);
  const keys = routerKeysFrom(env, logger);
  const routerUrl = env.ROUTER_URL ?? 'http://127.0.0.1:4100/graphql';
  const service = await startService(definition, { env, infra, logger, databaseUrl, keys, routerUrl: () => routerUrl });
  const db = new definition.database({ adapter: prismaAdapter({ url: databaseUrl, max: 2 }) });
  return {
    service,
    infra,
    keys,
    db,
    async request(query, variables, identity = { roles: [] }) {
      const requestId = randomUUID();
      const response = await fetch(service.graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: signIdentity(identity, keys.identityPrivateKey, { subgraph: name, requestId }),
          [REQUEST_ID_HEADER]: requestId,
        },
        body: JSON.stringify({ query: String(query), variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    async close() {
      await service.close();
      await db.$disconnect();
      await infra.close();
    },
  };
}

/**
 * Starts the service before a suite's tests and stops it after them. The handle's fields are
 * the running service's, readable from the first test on.
 */
export function useService<Db extends ServiceDatabase>(
  definition: SubgraphDefinition<Db, any, any, any>,
  options: TestServiceOptions = {},
): TestService<Db> {
  let started: TestService<Db> | undefined;
  beforeAll(async () => {
    started = await startTestService(definition, options);
  });
  afterAll(() => started?.close());
  const current = () => {
    if (!started) throw new Error(`${definition.name} is not started yet: use it inside a test or hook`);
    return started;
  };
  return {
    get service() {
      return current().service;
    },
    get infra() {
      return current().infra;
    },
    get keys() {
      return current().keys;
    },
    get db() {
      return current().db;
    },
    request: (query, variables, identity) => current().request(query, variables, identity),
    close: () => current().close(),
  };
}

/** The identity the router sends for a signed-in user. */
export const asUser = (userId: string, roles: string[] = []): Identity => ({ userId, roles });
/** An administrator nobody else is. */
export const asAdmin = (): Identity => ({ userId: randomUUID(), roles: ['ADMIN'] });

/** The data of an answer; fails the test, showing them, when it has errors. */
export function expectNoGraphQLErrors<T>(response: { body: GraphQLBody<T> }): T {
  if (response.body.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(response.body.errors)}`);
  if (response.body.data === undefined) throw new Error('the answer has no data');
  return response.body.data;
}

/** The error codes of an answer, in order. */
export const errorCodesOf = (response: { body: GraphQLBody }) => (response.body.errors ?? []).map((error) => error.extensions?.code);

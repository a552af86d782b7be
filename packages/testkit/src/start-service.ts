// Starts one subgraph in-process on a free port against the run's real Postgres, Redis and
// RabbitMQ (the environment comes from the jest global setup).
import { randomBytes } from 'node:crypto';
import {
  connectInfrastructure,
  createLogger,
  databaseUrlFor,
  infrastructureEnv,
  loadConfig,
  signIdentity,
  IDENTITY_HEADER,
  type CreateService,
  type Identity,
  type Infrastructure,
  type RunningSubgraph,
} from '@builderai/kit';

export interface TestService {
  service: RunningSubgraph;
  infra: Infrastructure;
  secret: string;
  /** Sends a GraphQL request as the router would, with a signed identity. */
  request<T = any>(query: string, variables?: Record<string, unknown>, identity?: Identity): Promise<{ status: number; body: { data?: T; errors?: any[] } }>;
  close(): Promise<void>;
}

export async function startTestService(name: string, create: CreateService, env: Record<string, string | undefined> = {}): Promise<TestService> {
  const fullEnv: Record<string, string | undefined> = { ...process.env, PORT: '0', ...env };
  const logger = createLogger(name, fullEnv.LOG_LEVEL ?? 'silent');
  const infra = await connectInfrastructure(loadConfig(infrastructureEnv, fullEnv), logger);
  const secret = fullEnv.INTERNAL_SECRET ?? randomBytes(32).toString('hex');
  const databaseUrl = databaseUrlFor(name, fullEnv);
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: run tests through jest (global setup)');
  const routerUrl = fullEnv.ROUTER_URL ?? 'http://127.0.0.1:4000/graphql';
  const service = await create({ env: fullEnv, infra, logger, databaseUrl, internalSecret: secret, routerUrl: () => routerUrl });
  return {
    service,
    infra,
    secret,
    async request(query, variables, identity = { roles: [] }) {
      const response = await fetch(service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(identity, secret) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    async close() {
      await service.close();
      await infra.close();
    },
  };
}

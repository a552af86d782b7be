// The router's environment, validated at start. Subgraph URLs are not listed here: they come
// from the supergraph, overridden per subgraph by <NAME>_URL (see subgraphs.ts).
import { z } from 'zod';
import { infrastructureEnv, loadConfig, type Env } from '@builderai/kit';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => ['true', '1', 'yes'].includes(value));

export const routerEnv = infrastructureEnv.extend({
  /** ROUTER_PORT wins over PORT so one environment can hold every service's port. */
  ROUTER_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('127.0.0.1'),
  /** The listener for services' calls (Authorization: Service); keep it off the public network. */
  ROUTER_INTERNAL_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  ROUTER_INTERNAL_HOST: z.string().default('127.0.0.1'),
  SUPERGRAPH_PATH: z.string().optional(),
  /** Defaults to the auth subgraph's origin + /.well-known/jwks.json. */
  AUTH_JWKS_URL: z.string().url().optional(),
  /** The same variables the auth service signs with. */
  JWT_ISSUER: z.string().min(1).default('builderai-auth'),
  JWT_AUDIENCE: z.string().min(1).default('builderai'),
  CORS_ORIGINS: commaList,
  /** How many proxies in front of the router append to X-Forwarded-For (0: use the socket's address). */
  TRUST_PROXY: z
    .string()
    .default('0')
    .transform((value) => (value === 'true' ? 1 : value === 'false' ? 0 : Number(value)))
    .pipe(z.number().int().min(0)),
  MAX_DEPTH: positiveInt(12),
  MAX_COST: positiveInt(5000),
  MAX_ROOT_FIELDS: positiveInt(20),
  MAX_ALIASES: positiveInt(30),
  /** Tokens a document may have; parsing stops there. */
  MAX_TOKENS: positiveInt(10_000),
  MAX_INTROSPECTION_DEPTH: positiveInt(16),
  /** Off only where something in front of the router limits requests (or to measure its cost). */
  RATE_LIMIT_ENABLED: flag(true),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  RATE_LIMIT_ANONYMOUS: positiveInt(120),
  RATE_LIMIT_AUTHENTICATED: positiveInt(1200),
  RATE_LIMIT_CREDENTIALS: positiveInt(10),
  /** Every request per IP, counted before parsing: a flood's ceiling, above the other limits. */
  RATE_LIMIT_PER_IP: positiveInt(3000),
  /** Identical queries of one caller in flight together run once (shared-execution/). */
  QUERY_DEDUP_ENABLED: flag(true),
  /** own: the router runs query plans itself; gateway: @apollo/gateway's executor runs them. */
  ROUTER_EXECUTOR: z.enum(['own', 'gateway']).default('own'),
  /** The Explorer landing page and introspection: on by default outside production. */
  EXPLORER_ENABLED: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((value) => (value === undefined ? undefined : ['true', '1', 'yes'].includes(value))),
  /** Subscriptions one WebSocket may hold, and one user (an IP without one) on one router instance. */
  MAX_SUBSCRIPTIONS_PER_CONNECTION: positiveInt(25),
  MAX_SUBSCRIPTIONS_PER_USER: positiveInt(100),
  /** Events a slow subscriber may have waiting before its subscription is ended. */
  SUBSCRIPTION_MAX_QUEUED: positiveInt(1000),
  /** Keep-alive connections per subgraph. */
  SUBGRAPH_CONNECTIONS: positiveInt(128),
  SUBGRAPH_TIMEOUT_MS: positiveInt(30_000),
});

export type RouterConfig = Omit<z.infer<typeof routerEnv>, 'EXPLORER_ENABLED'> & { port: number; EXPLORER_ENABLED: boolean };

export function loadRouterConfig(env: Env): RouterConfig {
  const config = loadConfig(routerEnv, env);
  return { ...config, port: config.ROUTER_PORT ?? config.PORT, EXPLORER_ENABLED: config.EXPLORER_ENABLED ?? config.NODE_ENV !== 'production' };
}

// Environment validated at start: a bad or missing variable stops the service with its name.
import { z } from 'zod';
import type { Env } from './database-url.js';
import { subgraphEntry } from './subgraph-list.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig<T extends z.ZodTypeAny>(schema: T, env: Env = process.env): z.infer<T> {
  // An empty variable (`SERVICE_TOKEN_SECRET=` in an env file) means "not set".
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = schema.safeParse(given);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}

const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined))
  .pipe(z.string().url().optional());

const portNumber = z.coerce.number().int().min(0).max(65535);
export const port = (fallback: number) => portNumber.default(fallback);

/** Variables every service reads: where its infrastructure is (keys: keys.ts). */
export const infrastructureEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: optionalUrl,
  REDIS_URL: optionalUrl,
  AMQP_URL: optionalUrl,
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
  /** Bearer token for /metrics and the detailed health routes (unset: open in development, closed in production). */
  OPS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** A process whose oldest request has waited this long, with none answered meanwhile, is stuck (/health/live 503). */
  LIVENESS_STUCK_MS: z.coerce.number().int().positive().default(60_000),
  /** How long any Redis call may take before it counts as failed. */
  REDIS_TIMEOUT_MS: z.coerce.number().int().positive().default(300),
  /** Prefixes every Redis key and channel, so deployments (or test runs) sharing a Redis stay apart. */
  REDIS_PREFIX: z.string().min(1).default('builderai:'),
  EVENTS_EXCHANGE: z.string().min(1).default('builderai.events'),
  /** Prefixes every consumer queue, so separate deployments (or test runs) never share one. */
  EVENTS_QUEUE_PREFIX: z.string().default(''),
  /** Lets the broker delete queues unused this long (throwaway namespaces only). */
  EVENTS_QUEUE_EXPIRES_MS: z.coerce.number().int().positive().optional(),
  /** How often each service deletes rows past their retention (0: never). */
  RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(60),
  /** How long published outbox events and processed-event marks are kept. */
  EVENTS_RETENTION_DAYS: z.coerce.number().int().positive().default(14),
});
export type InfrastructureConfig = z.infer<typeof infrastructureEnv>;

export interface ServerConfig {
  port: number;
  host: string;
  maxBodyBytes: number;
  livenessStuckMs: number;
}

/**
 * Where a subgraph listens: <NAME>_PORT wins over PORT (so one environment can hold every
 * service's port), else the port of its routing_url in supergraph.yaml.
 */
export function loadServerConfig(name: string, env: Env): ServerConfig {
  const own = `${name.toUpperCase()}_PORT`;
  const schema = z.object({
    [own]: portNumber.optional(),
    PORT: portNumber.optional(),
    HOST: z.string().min(1).default('127.0.0.1'),
    MAX_BODY_BYTES: infrastructureEnv.shape.MAX_BODY_BYTES,
    LIVENESS_STUCK_MS: infrastructureEnv.shape.LIVENESS_STUCK_MS,
  });
  const c = loadConfig(schema, env);
  const given = (c[own] ?? c.PORT) as number | undefined;
  return { port: given ?? subgraphEntry(name).defaultPort, host: c.HOST as string, maxBodyBytes: c.MAX_BODY_BYTES as number, livenessStuckMs: c.LIVENESS_STUCK_MS as number };
}

// The environment of one `npm test` run. Global setup applies it to process.env before
// jest starts its workers, which inherit it; every test of the run then shares one set
// of freshly migrated databases that no other run (or the dev databases) can touch.
import { randomBytes } from 'node:crypto';
import { generateKeys, keyAsEnv, keysAsEnv } from '../../kit/src/keys.js';
import { generateSealingKeys } from '../../kit/src/sealed.js';

export const TEST_DATABASE_PREFIX = 'bai_test_';

/** A run id that sorts by time and tells its age: `20261105143012_a1b2c3` (UTC). */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `${stamp}_${randomBytes(3).toString('hex')}`;
}

/** The database prefix of one run, e.g. `bai_test_20261105143012_a1b2c3_`. */
export function runDatabasePrefix(runId: string): string {
  return `${TEST_DATABASE_PREFIX}${runId}_`;
}

/** The run that created a `bai_test_*` database: its prefix and start; undefined if not one of ours. */
export function testRunOf(databaseName: string): { prefix: string; startedAt: Date } | undefined {
  const match = /^bai_test_((\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_[0-9a-f]+)_/.exec(databaseName);
  if (!match) return undefined;
  const [, runId, y, mo, d, h, mi, s] = match;
  return { prefix: runDatabasePrefix(runId!), startedAt: new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`) };
}

/** The variables a test run sets; local services unless the machine says otherwise. */
export function testEnv(runId: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    TEST_RUN_ID: runId,
    DATABASE_URL: env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432',
    DATABASE_PREFIX: runDatabasePrefix(runId),
    REDIS_URL: env.REDIS_URL || 'redis://127.0.0.1:6379',
    AMQP_URL: env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672',
    LOG_LEVEL: env.LOG_LEVEL || 'silent',
    // Jest sets NODE_ENV=test, where services insist on given, strong keys: the run has its own.
    ...keysAsEnv(generateKeys()),
    FILES_URL_SECRET: randomBytes(32).toString('hex'),
    MCP_SECRETS_KEY: randomBytes(32).toString('hex'),
    NOTIFICATIONS_PUBLIC_KEY: keyAsEnv(generateSealingKeys().publicKey),
    // The run's own Redis keys, exchange and queues: concurrent runs never see each other's
    // events, and the broker drops the queues once the run is over.
    REDIS_PREFIX: `bai_test_${runId}:`,
    EVENTS_EXCHANGE: `bai_test_${runId}.events`,
    EVENTS_QUEUE_PREFIX: `bai_test_${runId}.`,
    EVENTS_QUEUE_EXPIRES_MS: String(10 * 60 * 1000),
  };
}

/** Sets the run's environment on process.env (inherited by jest workers). */
export function applyTestEnv(runId: string, services: string[]): Record<string, string> {
  const values = testEnv(runId);
  Object.assign(process.env, values);
  // A per-service URL would win over the run's databases and point tests at real data.
  for (const service of services) delete process.env[`${service.toUpperCase()}_DATABASE_URL`];
  return values;
}

// What global setup gives every test: this run's own migrated database per service.
import pg from 'pg';
import { databaseUrlFor } from '../src/database-url.js';
import { listDatabases } from '../src/migrate.js';
import { listDatabaseServices, REPO_ROOT } from '../src/services.js';
import { newRunId, runDatabasePrefix, testRunOf } from '../../testkit/src/test-env.js';

test('the run has its own prefix and environment', () => {
  expect(process.env.TEST_RUN_ID).toMatch(/^\d{14}_[0-9a-f]{6}$/);
  expect(process.env.DATABASE_PREFIX).toBe(runDatabasePrefix(process.env.TEST_RUN_ID!));
  expect(process.env.LOG_LEVEL).toBeDefined();
  expect(process.env.REDIS_URL).toMatch(/^redis:/);
  expect(process.env.AMQP_URL).toMatch(/^amqp:/);
});

test('every service database of the run exists and is migrated', async () => {
  const services = listDatabaseServices(REPO_ROOT);
  const names = await listDatabases(process.env.DATABASE_PREFIX!);
  expect(names).toEqual(expect.arrayContaining(services.map((service) => `${process.env.DATABASE_PREFIX}${service}`)));
  for (const service of services) {
    const client = new pg.Client({ connectionString: databaseUrlFor(service) });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL');
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  }
});

test('a run id tells when its run started, so leftovers of crashed runs can be found', () => {
  const startedAt = new Date('2026-11-05T14:30:12Z');
  const runId = newRunId(startedAt);
  expect(testRunOf(`${runDatabasePrefix(runId)}users`)).toEqual({ prefix: runDatabasePrefix(runId), startedAt });
  expect(testRunOf('builderai_users')).toBeUndefined();
});

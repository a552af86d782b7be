// Jest global setup: gives this run its own freshly migrated databases, and drops the
// ones crashed runs left behind. Workers inherit the environment set here.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { require as tsxRequire } from 'tsx/cjs/api';

type Modules = typeof import('../../kit/src/migrate.js') & typeof import('../../kit/src/services.js') & typeof import('./test-env.js');

// Older than any test run; whatever is left from then belongs to a run that crashed.
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

const log = (line: string) => process.stderr.write(`test databases: ${line}\n`);

export default async function globalSetup(_globalConfig: unknown, project: { rootDir: string }): Promise<void> {
  const started = Date.now();
  const { applyTestEnv, dropDatabases, listDatabaseServices, listDatabases, migrateAll, newRunId, redact, runPrisma, TEST_DATABASE_PREFIX, testRunOf } =
    load(project.rootDir);
  const root = project.rootDir;
  const services = listDatabaseServices(root);
  const runId = newRunId();
  const env = applyTestEnv(runId, services);
  log(`run ${runId}, ${services.length} services on ${redact(env.DATABASE_URL)}`);
  try {
    // Leftovers of crashed runs, whole runs at a time.
    const stale = new Set<string>();
    for (const name of await listDatabases(TEST_DATABASE_PREFIX, env.DATABASE_URL)) {
      const run = testRunOf(name);
      if (run && Date.now() - run.startedAt.getTime() > STALE_AFTER_MS) stale.add(run.prefix);
    }
    for (const prefix of stale) log(`dropped ${(await dropDatabases(prefix, env.DATABASE_URL)).length} databases of crashed run ${prefix}`);

    await migrateAll({ env: process.env, root, services, log });
    process.env.EVENT_TABLES_SQL_FILE = await writeEventTablesSql(root, runId, runPrisma);
  } catch (error) {
    throw new Error(
      `Test databases could not be prepared on ${redact(env.DATABASE_URL)} ` +
        `(tests need Postgres, Redis and RabbitMQ on localhost: docker compose up -d postgres redis rabbitmq)\n${(error as Error).message}`,
    );
  }
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

// The kit's event tests get the event tables from the one definition, prisma/events.prisma.
async function writeEventTablesSql(root: string, runId: string, runPrisma: Modules['runPrisma']): Promise<string> {
  const dir = path.join(root, 'packages/kit/test/fixtures/event-tables');
  const { stdout } = await runPrisma(['migrate', 'diff', '--config', path.join(dir, 'prisma.config.ts'), '--from-empty', '--to-schema-datamodel', dir, '--script'], {
    root,
    what: 'the event tables of prisma/events.prisma',
  });
  const file = path.join(os.tmpdir(), `builderai-event-tables-${runId}.sql`);
  writeFileSync(file, stdout);
  return file;
}

// Jest loads this file as CommonJS without its module mapper; tsx loads the sources it
// needs so they resolve as they do everywhere else.
function load(root: string): Modules {
  const files = ['packages/kit/src/migrate.ts', 'packages/kit/src/services.ts', 'packages/testkit/src/test-env.ts'];
  return Object.assign({}, ...files.map((file) => tsxRequire(path.join(root, file), path.join(root, 'package.json'))));
}

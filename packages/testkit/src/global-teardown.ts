// Jest global teardown: drops this run's databases (KEEP_TEST_DATABASES=1 keeps them to look at).
import path from 'node:path';
import amqp from 'amqplib';
import { require as tsxRequire } from 'tsx/cjs/api';

type Modules = typeof import('../../kit/src/migrate.js') & typeof import('./test-env.js');

export default async function globalTeardown(_globalConfig: unknown, project: { rootDir: string }): Promise<void> {
  const { dropDatabases, TEST_DATABASE_PREFIX } = load(project.rootDir);
  const prefix = process.env.DATABASE_PREFIX;
  // Only ever the prefix global setup gave this run, never the development databases.
  if (!prefix?.startsWith(TEST_DATABASE_PREFIX)) return;
  await deleteRunExchange();
  if (process.env.KEEP_TEST_DATABASES === '1') {
    process.stderr.write(`test databases: kept ${prefix}* (KEEP_TEST_DATABASES=1)\n`);
    return;
  }
  await dropDatabases(prefix, process.env.DATABASE_URL);
}

// Jest loads this file as CommonJS without its module mapper; tsx loads the sources it
// needs so they resolve as they do everywhere else.
function load(root: string): Modules {
  const files = ['packages/kit/src/migrate.ts', 'packages/testkit/src/test-env.ts'];
  return Object.assign({}, ...files.map((file) => tsxRequire(path.join(root, file), path.join(root, 'package.json'))));
}

/** The run's queues expire on their own; its exchange is deleted here. */
async function deleteRunExchange(): Promise<void> {
  const { AMQP_URL, EVENTS_EXCHANGE } = process.env;
  if (!AMQP_URL || !EVENTS_EXCHANGE?.startsWith('bai_test_')) return;
  const connection = await amqp.connect(AMQP_URL).catch(() => undefined);
  if (!connection) return;
  try {
    const channel = await connection.createChannel();
    await channel.deleteExchange(EVENTS_EXCHANGE);
  } catch {
    // Already gone, or the broker is down: nothing to clean.
  } finally {
    await connection.close().catch(() => {});
  }
}

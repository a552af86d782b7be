// `npm start`: the whole platform in one process. With DATABASE_URL, REDIS_URL and AMQP_URL
// it uses those; without them it runs on embedded defaults (PGlite, in-process events).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPlatform } from '@builderai/platform';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const embeddedDataDir = path.resolve(root, process.env.EMBEDDED_DATA_DIR ?? '.data/pglite');

const started = Date.now();
try {
  const platform = await startPlatform({ root, ports: 'default', migrate: true, embeddedDataDir });
  const explorer = platform.graphqlUrl.replace('127.0.0.1', 'localhost');
  console.log(`\nBuilderAI is up in ${((Date.now() - started) / 1000).toFixed(1)}s${platform.embedded ? ' (embedded mode)' : ''}`);
  console.log(`  Explorer and API: ${explorer}`);
  for (const [name, service] of Object.entries(platform.subgraphs)) console.log(`  ${name.padEnd(8)} ${service.graphqlUrl}`);
  const stop = async () => {
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(`BuilderAI failed to start: ${(error as Error).message}`);
  process.exit(1);
}

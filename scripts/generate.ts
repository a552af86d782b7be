// `npm run generate`: `prisma generate` for every service schema (prisma/<service>/schema.prisma),
// writing each service's client where its schema's generator says. Also runs after npm install.
import os from 'node:os';
import { runPrisma } from '../packages/kit/src/migrate.js';
import { listDatabaseServices, prismaConfigPath, REPO_ROOT } from '../packages/kit/src/services.js';

// Generating reads the config, which needs a URL, but never connects.
const env = { DATABASE_URL: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres' };

const services = listDatabaseServices(REPO_ROOT);
const queue = [...services];
const failures: string[] = [];
const started = Date.now();
let done = 0;

// A few CLI processes side by side: each is mostly single-threaded.
const worker = async () => {
  for (let service = queue.shift(); service; service = queue.shift()) {
    const t = Date.now();
    try {
      await runPrisma(['generate', '--config', prismaConfigPath(REPO_ROOT, service)], { root: REPO_ROOT, env, what: `generating the ${service} client` });
      console.log(`[${++done}/${services.length}] generated the ${service} client in ${((Date.now() - t) / 1000).toFixed(1)}s`);
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
};
await Promise.all(Array.from({ length: Math.min(4, os.availableParallelism()) }, worker));

for (const failure of failures) console.error(failure);
if (failures.length) process.exit(1);
console.log(`${services.length} Prisma clients generated in ${((Date.now() - started) / 1000).toFixed(1)}s`);

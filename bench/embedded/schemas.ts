// One embedded Postgres with N service schemas, each migrated with the users service's
// migrations; prints the process's resident memory once idle (run by scripts/bench-embedded.ts).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../packages/kit/src/embedded-postgres.js';
import { REPO_ROOT } from '../../packages/kit/src/services.js';

const count = Number(process.argv[2] ?? 4);
const root = mkdtempSync(path.join(os.tmpdir(), 'bai-bench-schemas-'));
const services = Array.from({ length: count }, (_, i) => `service_${i + 1}`);
mkdirSync(path.join(root, 'prisma'));
for (const service of services) symlinkSync(path.join(REPO_ROOT, 'prisma/users'), path.join(root, 'prisma', service), 'dir');
const dataDir = path.join(root, 'data');
const embedded = await startEmbeddedPostgres({ services, dataDir, migrationsRoot: root, log: () => {} });
await new Promise((resolve) => setTimeout(resolve, 3000));
global.gc?.();
console.log(JSON.stringify({ services: count, rssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024) }));
await embedded.stop();
rmSync(root, { recursive: true, force: true });

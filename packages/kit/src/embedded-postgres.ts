// Postgres without a server: ONE PGlite for every service, each service in a schema of its own
// (named after it) and served over the Postgres wire protocol on its own 127.0.0.1 port, so
// Prisma (CLI and client) runs unchanged. The port decides the schema: the server sets the
// session's search_path to it for each turn of a connection (see pglite-mux.ts), and the URL
// carries ?schema=<service> for Prisma's adapter, which then qualifies every table with it.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import type { Env } from './database-url.js';
import type { Log } from './migrate.js';
import { PGliteMux } from './pglite-mux.js';
import { migrateSchema } from './embedded-migrate.js';

export interface EmbeddedPostgres {
  /** Each service's database URL (with ?schema=<service>). */
  urls: Record<string, string>;
  /** The same as `<SERVICE>_DATABASE_URL` variables, for code that reads an Env. */
  env: Env;
  stop(): Promise<void>;
}

// PGlite's default shared_buffers (128MB) costs ~130 MB of RSS at once; a development
// database needs far less.
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

export async function startEmbeddedPostgres(options: {
  services: string[];
  /** Persist under this folder; in memory when undefined. */
  dataDir?: string;
  /** Apply each service's migrations from <root>/prisma/<service>/migrations before serving. */
  migrationsRoot?: string;
  log?: Log;
}): Promise<EmbeddedPostgres> {
  const { services, dataDir, migrationsRoot, log = (line) => process.stderr.write(`${line}\n`) } = options;
  const started = Date.now();
  const dir = dataDir ? path.resolve(dataDir, 'postgres') : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  if (dataDir && services.some((service) => existsSync(path.join(dataDir, service, 'PG_VERSION'))))
    log(`${dataDir} also holds per-service PGlite folders of an older version; they are no longer used`);
  // initdb leaves ~150-300 MB of RSS behind in the process that ran it: run it in a child.
  if (dir && !existsSync(path.join(dir, 'PG_VERSION'))) await initCluster(dir, log);
  const db = await PGlite.create({ dataDir: dir, startParams: START_PARAMS });
  const mux = new PGliteMux(db);
  const stop = async () => {
    await mux.close().catch(() => {});
    // Closing flushes a persistent database to disk.
    if (!db.closed) await db.close();
  };
  try {
    const urls: Record<string, string> = {};
    if (migrationsRoot)
      for (const service of services) {
        const t = Date.now();
        const applied = await migrateSchema(db, { schema: service, migrationsDir: path.join(migrationsRoot, 'prisma', service, 'migrations') });
        log(`migrating ${service} ... done in ${((Date.now() - t) / 1000).toFixed(1)}s (${applied.length ? `applied ${applied.join(', ')}` : 'up to date'})`);
      }
    for (const service of services) {
      const { host, port } = await mux.listen(service);
      urls[service] = `postgresql://postgres@${host}:${port}/postgres?schema=${encodeURIComponent(service)}`;
    }
    const env = Object.fromEntries(services.map((service) => [`${service.toUpperCase()}_DATABASE_URL`, urls[service]]));
    log(`embedded Postgres (one PGlite, ${dataDir ?? 'in memory'}, a schema per service) for ${services.length} services ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return { urls, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function initCluster(dir: string, log: Log): Promise<void> {
  const t = Date.now();
  const script = `import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create({ dataDir: process.argv[1], startParams: JSON.parse(process.argv[2]) });
await db.close();`;
  // Resolved from this package, so the child loads the same PGlite.
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, dir, JSON.stringify(START_PARAMS)], { cwd: path.dirname(new URL(import.meta.url).pathname) });
  log(`initialised the embedded Postgres cluster in ${dir} in ${((Date.now() - t) / 1000).toFixed(1)}s`);
}

// Postgres without a server: one PGlite per service database, each served over the
// Postgres wire protocol on its own 127.0.0.1 port, so Prisma (CLI and client) runs
// unchanged and every service still has a database of its own.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Env } from './database-url.js';
import type { Log } from './migrate.js';

export interface EmbeddedPostgres {
  /** Each service's database URL. */
  urls: Record<string, string>;
  /** The same as `<SERVICE>_DATABASE_URL` variables, for code that reads an Env. */
  env: Env;
  stop(): Promise<void>;
}

// The socket server refuses a second connection by default; a service's pool, the
// migration CLI and health checks each hold some. PGlite still runs one query at a time.
const MAX_CONNECTIONS = 100;

interface Instance {
  db: PGlite;
  server: PGLiteSocketServer;
}

export async function startEmbeddedPostgres(options: {
  services: string[];
  /** Persist under this folder, one sub-folder per service; in memory when undefined. */
  dataDir?: string;
  log?: Log;
}): Promise<EmbeddedPostgres> {
  const { services, dataDir, log = (line) => process.stderr.write(`${line}\n`) } = options;
  const started = Date.now();
  const instances: Instance[] = [];
  const stop = () => Promise.all(instances.map(stopInstance)).then(() => {});
  try {
    const dirs = services.map((service) => dataDirOf(dataDir, service));
    const isNew = (dir: string | undefined) => !dir || !existsSync(path.join(dir, 'PG_VERSION'));
    // initdb costs ~2.5 s of CPU per database; run it once and copy the fresh cluster.
    const fresh = dirs.some(isNew) ? await freshCluster() : undefined;
    const urls: Record<string, string> = {};
    // One at a time: PGlite's work is CPU on this thread, so side by side is no faster.
    for (const [i, service] of services.entries()) {
      const t = Date.now();
      const db = await PGlite.create({ dataDir: dirs[i], loadDataDir: isNew(dirs[i]) ? fresh : undefined });
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS });
      instances.push({ db, server });
      await server.start();
      // PGlite holds the single database `postgres` (and accepts any database name).
      urls[service] = `postgresql://postgres@${server.getServerConn()}/postgres`;
      log(`[${i + 1}/${services.length}] embedded Postgres for ${service} on ${server.getServerConn()} in ${((Date.now() - t) / 1000).toFixed(1)}s`);
    }
    const env = Object.fromEntries(services.map((service) => [`${service.toUpperCase()}_DATABASE_URL`, urls[service]]));
    log(`embedded Postgres (PGlite, ${dataDir ?? 'in memory'}) for ${services.length} services ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return { urls, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function freshCluster(): Promise<Blob> {
  const template = await PGlite.create();
  try {
    return await template.dumpDataDir('none');
  } finally {
    await template.close();
  }
}

function dataDirOf(dataDir: string | undefined, service: string): string | undefined {
  if (!dataDir) return undefined;
  const dir = path.resolve(dataDir, service);
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function stopInstance(instance: Instance): Promise<void> {
  await instance.server.stop().catch(() => {});
  // Closing flushes a persistent database to disk.
  if (!instance.db.closed) await instance.db.close();
}

// Brings each service's database to its latest migration: creates the database when it
// is missing, then runs `prisma migrate deploy` with that service's Prisma config.
// Also the database housekeeping tests need (list and drop databases by prefix).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { databaseUrlFor, type Env } from './database-url.js';
import { listDatabaseServices, prismaConfigPath } from './services.js';

export type Log = (line: string) => void;

const defaultLog: Log = (line) => process.stderr.write(`${line}\n`);

export interface MigrateResult {
  service: string;
  /** The database did not exist and was created. */
  created: boolean;
  /** Migrations applied by this run (empty when already up to date). */
  applied: string[];
  ms: number;
}

export async function migrateService(options: {
  service: string;
  url: string;
  root: string;
  log?: Log;
}): Promise<MigrateResult> {
  const { service, url, root, log = defaultLog } = options;
  const started = Date.now();
  const created = await createDatabaseIfMissing(url);
  const { output } = await runPrisma(['migrate', 'deploy', '--config', prismaConfigPath(root, service)], {
    root,
    env: { DATABASE_URL: url },
    what: `migrating ${service} (${redact(url)})`,
    finished: /All migrations have been successfully applied|No pending migrations to apply/,
  });
  const applied = [...output.matchAll(/[└├]─ (\S+)\/$/gm)].map((match) => match[1]!);
  const ms = Date.now() - started;
  const summary = applied.length ? `applied ${applied.join(', ')}` : 'up to date';
  log(`migrating ${service} ... done in ${(ms / 1000).toFixed(1)}s (${created ? 'created, ' : ''}${summary})`);
  return { service, created, applied, ms };
}

/** Migrates every service database (see listDatabaseServices), a few at a time. */
export async function migrateAll(options: {
  env?: Env;
  root: string;
  log?: Log;
  services?: string[];
  concurrency?: number;
}): Promise<MigrateResult[]> {
  const { env = process.env, root, log = defaultLog } = options;
  const services = options.services ?? listDatabaseServices(root);
  const concurrency = options.concurrency ?? Math.min(4, os.availableParallelism());
  const results: MigrateResult[] = [];
  const queue = [...services];
  let done = 0;
  let failure: unknown;
  const worker = async () => {
    // Stop starting new services after a failure; the running ones finish.
    for (let service = queue.shift(); service && !failure; service = queue.shift()) {
      try {
        const url = databaseUrlFor(service, env);
        if (!url) throw new Error(`No database for ${service}: set DATABASE_URL or ${service.toUpperCase()}_DATABASE_URL`);
        // Numbered when done, so the counter reads in order while services run side by side.
        const progress = (line: string) => log(`[${++done}/${services.length}] ${line}`);
        results.push(await migrateService({ service, url, root, log: progress }));
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, services.length) }, worker));
  if (failure) throw failure;
  return results;
}

/** Creates the URL's database unless it exists; true when it created it. */
export async function createDatabaseIfMissing(url: string): Promise<boolean> {
  // Connecting to the database itself needs no rights on the server's `postgres`
  // database, and PGlite (one database, any name accepted) always lands here.
  try {
    await withClient(url, async () => {});
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error; // invalid_catalog_name: missing
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  try {
    await withClient(maintenanceUrl(url), (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
    return true;
  } catch (error) {
    // Another process created it meanwhile: duplicate_database, or the catalog's unique index.
    const code = (error as { code?: string }).code;
    if (code === '42P04' || code === '23505') return false;
    throw error;
  }
}

/** Databases on the server whose name starts with prefix. */
export async function listDatabases(prefix: string, serverUrl: string | undefined = process.env.DATABASE_URL): Promise<string[]> {
  const { rows } = await withClient(maintenanceUrl(requireUrl(serverUrl)), (client) =>
    client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname'),
  );
  return rows.map((row) => row.datname).filter((name) => name.startsWith(prefix));
}

/** Drops every database whose name starts with prefix; returns their names. */
export async function dropDatabases(prefix: string, serverUrl: string | undefined = process.env.DATABASE_URL): Promise<string[]> {
  if (!prefix) throw new Error('dropDatabases needs a non-empty prefix');
  const names = await listDatabases(prefix, serverUrl);
  await withClient(maintenanceUrl(requireUrl(serverUrl)), async (client) => {
    for (const name of names) {
      // Pools left open (a crashed test, a lingering client) would block the drop.
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
    }
  });
  return names;
}

/**
 * Runs the project's Prisma CLI; throws with its output when it fails. `output` is
 * stdout and stderr interleaved. `finished` marks the output after which the command
 * has nothing left to do.
 */
export function runPrisma(
  args: string[],
  options: { root: string; env?: Env; what: string; finished?: RegExp },
): Promise<{ stdout: string; output: string }> {
  const cli = path.join(options.root, 'node_modules', '.bin', 'prisma');
  if (!existsSync(cli)) return Promise.reject(new Error(`${options.what}: Prisma CLI not found at ${cli} (run npm install)`));
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, {
      cwd: options.root,
      env: { ...process.env, ...options.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let output = '';
    let finished = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      // Prisma 6's wasm schema engine leaves its 10 s advisory-lock timer (and the adapter's
      // idle pool) armed after `migrate deploy` is done, so the CLI would idle ~10 s more.
      if (!finished && options.finished?.test(output)) {
        finished = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      collect(chunk);
    });
    child.stderr.on('data', collect);
    child.on('error', (error) => reject(new Error(`${options.what}: cannot run ${cli}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (finished || code === 0) resolve({ stdout, output });
      else reject(new Error(`${options.what} failed (the Prisma CLI exited with ${code ?? signal}):\n${output.trim()}`));
    });
  });
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw Object.assign(new Error(`Cannot connect to ${redact(url)}: ${(error as Error).message || (error as { code?: string }).code}`), {
      code: (error as { code?: string }).code,
      cause: error,
    });
  }
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}

// The server's own `postgres` database: where databases are created, listed and dropped.
function maintenanceUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('DATABASE_URL is not set');
  return url;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

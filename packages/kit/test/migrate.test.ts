// migrateService against the local Postgres: creates the database, applies every
// migration once, and says clearly what failed when a migration breaks.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabaseIfMissing, dropDatabases, listDatabases, migrateService } from '../src/migrate.js';
import { listDatabaseServices, REPO_ROOT } from '../src/services.js';

// Under this run's prefix, so global teardown drops whatever a failed test leaves.
const uniqueUrl = (label: string) => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${process.env.DATABASE_PREFIX}${label}_${randomBytes(3).toString('hex')}`;
  return url.toString();
};
const nameOf = (url: string) => new URL(url).pathname.slice(1);

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const authMigrations = readdirSync(path.join(REPO_ROOT, 'prisma/auth/migrations'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

test('listDatabaseServices finds the services with a Prisma schema', () => {
  const services = listDatabaseServices(REPO_ROOT);
  expect(services).toContain('auth');
  expect(services).toEqual([...services].sort());
});

test('migrateService creates a missing database, applies every migration, and is idempotent', async () => {
  const url = uniqueUrl('migrate');
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  const first = await migrateService({ service: 'auth', url, root: REPO_ROOT, log });
  expect(first).toMatchObject({ service: 'auth', created: true, applied: authMigrations });
  const rows = await query<{ migration_name: string; finished_at: Date | null }>(url, 'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name');
  expect(rows.map((row) => row.migration_name)).toEqual(authMigrations);
  expect(rows.every((row) => row.finished_at)).toBe(true);
  const tables = await query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'");
  expect(tables.length).toBeGreaterThan(0);

  const second = await migrateService({ service: 'auth', url, root: REPO_ROOT, log });
  expect(second).toMatchObject({ created: false, applied: [] });
  expect(await query(url, 'SELECT 1 FROM _prisma_migrations')).toHaveLength(authMigrations.length);
  expect(lines[0]).toMatch(/^migrating auth \.\.\. done in \d+\.\ds \(created, applied /);
  expect(lines[1]).toMatch(/up to date/);

  expect(await dropDatabases(nameOf(url))).toEqual([nameOf(url)]);
});

test('createDatabaseIfMissing tolerates concurrent creates', async () => {
  const url = uniqueUrl('race');
  const created = await Promise.all(Array.from({ length: 4 }, () => createDatabaseIfMissing(url)));
  expect(created.filter(Boolean)).toHaveLength(1);
  await dropDatabases(nameOf(url));
});

test('dropDatabases drops databases that still have open connections', async () => {
  const url = uniqueUrl('drop');
  await createDatabaseIfMissing(url);
  const lingering = new pg.Client({ connectionString: url });
  lingering.on('error', () => {}); // it is terminated on purpose
  await lingering.connect();
  expect(await dropDatabases(nameOf(url))).toEqual([nameOf(url)]);
  expect(await listDatabases(nameOf(url))).toEqual([]);
  await lingering.end().catch(() => {});
});

test('a failing migration surfaces the Prisma output', async () => {
  // A throwaway repository whose one service has a broken migration.
  const root = mkdtempSync(path.join(os.tmpdir(), 'bai-migrate-'));
  try {
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    mkdirSync(path.join(root, 'prisma/broken/migrations/0001_broken'), { recursive: true });
    copyFileSync(path.join(REPO_ROOT, 'prisma/service-config.ts'), path.join(root, 'prisma/service-config.ts'));
    copyFileSync(path.join(REPO_ROOT, 'prisma/events.prisma'), path.join(root, 'prisma/events.prisma'));
    copyFileSync(path.join(REPO_ROOT, 'prisma/auth/prisma.config.ts'), path.join(root, 'prisma/broken/prisma.config.ts'));
    writeFileSync(
      path.join(root, 'prisma/broken/schema.prisma'),
      'generator client {\n  provider = "prisma-client"\n  output = "../../generated"\n  engineType = "client"\n}\n\ndatasource db {\n  provider = "postgresql"\n  url      = env(\"DATABASE_URL\")\n}\n',
    );
    writeFileSync(path.join(root, 'prisma/broken/migrations/migration_lock.toml'), 'provider = "postgresql"\n');
    writeFileSync(path.join(root, 'prisma/broken/migrations/0001_broken/migration.sql'), 'SELECT * FROM no_such_table;\n');

    const url = uniqueUrl('broken');
    const error: Error = await migrateService({ service: 'broken', url, root, log: () => {} }).catch((e) => e);
    expect(error.message).toMatch(/^migrating broken \(.*\) failed \(the Prisma CLI exited with 1\):/);
    expect(error.message).toContain('No such table: no_such_table');
    expect(error.message).toContain('0001_broken');
    await dropDatabases(nameOf(url));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

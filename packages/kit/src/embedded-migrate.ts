// Embedded mode's migrations, applied in-process to one service's schema of the shared PGlite:
// the same prisma/<service>/migrations/*/migration.sql as `prisma migrate deploy`, and the same
// _prisma_migrations rows (checksum = sha256 of the file), so the Prisma CLI pointed at the
// embedded URL later agrees that they are applied. Each migration runs in one transaction with
// search_path set to the schema; spawning the CLI per service costs ~0.7-1 s each.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

// Prisma's own definition (schema-engine, postgres flavour).
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export async function migrateSchema(db: PGlite, options: { schema: string; migrationsDir: string }): Promise<string[]> {
  const { schema, migrationsDir } = options;
  const q = quoteIdent(schema);
  await db.exec(`CREATE SCHEMA IF NOT EXISTS ${q}; BEGIN; SET LOCAL search_path TO ${q}; ${MIGRATIONS_TABLE}; COMMIT;`);
  const { rows } = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at FROM ${q}._prisma_migrations WHERE rolled_back_at IS NULL`,
  );
  const applied = new Map(rows.map((row) => [row.migration_name, row]));
  const names = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
    : [];
  const done: string[] = [];
  for (const name of names) {
    const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    const row = applied.get(name);
    if (row) {
      if (!row.finished_at) throw new Error(`${schema}: migration ${name} failed before; resolve it with prisma migrate resolve`);
      if (row.checksum !== checksum) throw new Error(`${schema}: migration ${name} was changed after it was applied`);
      continue;
    }
    try {
      await db.transaction(async (tx) => {
        await tx.exec(`SET LOCAL search_path TO ${q}`);
        await tx.exec(sql);
        await tx.query(
          `INSERT INTO ${q}._prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), checksum, name],
        );
      });
    } catch (error) {
      throw new Error(`${schema}: migration ${name} failed: ${(error as Error).message}`, { cause: error });
    }
    done.push(name);
  }
  return done;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

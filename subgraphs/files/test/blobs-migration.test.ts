// The migration that brought blobs, run on a files database holding files from before it: one
// blob per user and checksum, every READY file pointing at it, the duplicate objects scheduled
// for deletion, and used space recounted as what is stored.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const MIGRATIONS = path.join(import.meta.dirname, '../../../prisma/files/migrations');
const BLOBS_MIGRATION = readdirSync(MIGRATIONS).find((name) => name.endsWith('_checkpoints_and_blobs'))!;
const sqlOf = (name: string) => readFileSync(path.join(MIGRATIONS, name, 'migration.sql'), 'utf8');

describe('the blobs migration', () => {
  const database = `${process.env.DATABASE_PREFIX}files_blobs_migration_${randomUUID().slice(0, 8)}`;
  const serverUrl = process.env.DATABASE_URL!;
  let client: pg.Client;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    // The database as it was before the migration.
    for (const name of readdirSync(MIGRATIONS).filter((entry) => entry < BLOBS_MIGRATION && !entry.endsWith('.toml')).sort()) await client.query(sqlOf(name));
  });
  afterAll(async () => {
    await client?.end();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
    await admin.end();
  });

  it('gives existing files their blobs, keeps one object per content and recounts used space', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const project = randomUUID();
    const file = async (userId: string, checksum: string | null, size: number, status: 'READY' | 'PENDING', createdAt: string) => {
      const id = randomUUID();
      const key = `users/${userId}/files/${id}`;
      await client.query(
        `INSERT INTO files (id, user_id, project_id, path, name, size, type, url, status, created_at) VALUES ($1, $2, $3, $4, $4, $5, 'text/plain', $6, $7, $8)`,
        [id, userId, project, `${id}.txt`, size, status === 'READY' ? `s3://bucket/${key}` : null, status, createdAt],
      );
      await client.query(`INSERT INTO file_metadata (file_id, checksum, storage_location) VALUES ($1, $2, $3)`, [id, checksum, key]);
      return { id, key };
    };
    const first = await file(alice, 'aaa', 10, 'READY', '2026-01-01T00:00:00Z');
    const duplicate = await file(alice, 'aaa', 10, 'READY', '2026-02-01T00:00:00Z');
    const other = await file(alice, 'bbb', 5, 'READY', '2026-03-01T00:00:00Z');
    const pending = await file(alice, null, 7, 'PENDING', '2026-04-01T00:00:00Z');
    const bobs = await file(bob, 'aaa', 10, 'READY', '2026-05-01T00:00:00Z');
    // Counted per file before: 25 + the upload's reservation.
    await client.query(`INSERT INTO storage_quotas (user_id, used_space, reserved_space) VALUES ($1, 25, 7), ($2, 10, 0)`, [alice, bob]);

    await client.query(sqlOf(BLOBS_MIGRATION));

    const blobs = (await client.query(`SELECT user_id, sha256, size::int, key FROM blobs ORDER BY user_id = $1 DESC, sha256`, [alice])).rows;
    expect(blobs).toEqual([
      { user_id: alice, sha256: 'aaa', size: 10, key: first.key },
      { user_id: alice, sha256: 'bbb', size: 5, key: other.key },
      { user_id: bob, sha256: 'aaa', size: 10, key: bobs.key },
    ]);
    const files = (
      await client.query(`SELECT f.id, b.key AS blob_key, m.storage_location, f.url FROM files f JOIN file_metadata m ON m.file_id = f.id LEFT JOIN blobs b ON b.id = f.blob_id`)
    ).rows;
    const row = (id: string) => files.find((entry) => entry.id === id);
    expect(row(first.id)).toEqual({ id: first.id, blob_key: first.key, storage_location: first.key, url: `s3://bucket/${first.key}` });
    // The duplicate serves the first file's object now; its own is deleted.
    expect(row(duplicate.id)).toEqual({ id: duplicate.id, blob_key: first.key, storage_location: first.key, url: `s3://bucket/${first.key}` });
    expect(row(pending.id)).toEqual({ id: pending.id, blob_key: null, storage_location: pending.key, url: null });
    expect((await client.query(`SELECT key FROM object_deletions`)).rows).toEqual([{ key: duplicate.key }]);

    const quotas = (await client.query(`SELECT user_id, used_space::int, reserved_space::int FROM storage_quotas ORDER BY user_id = $1 DESC`, [alice])).rows;
    expect(quotas).toEqual([
      { user_id: alice, used_space: 15, reserved_space: 7 },
      { user_id: bob, used_space: 10, reserved_space: 0 },
    ]);
  });
});

// Collecting blobs nothing points at any more: their space is freed and their objects deleted.
// Run right after each operation that drops references, for the blobs it dropped (a deleted
// file's space comes back at once unless a checkpoint holds it), and by the sweeper for
// leftovers. The user's blob lock, taken exclusively, waits for every transaction adding
// references to that user's blobs, so a blob being reused is never collected.
import type { FilesDeps } from '../deps.js';
import type { Tx } from './db.js';
import { LOCKING_TRANSACTION, lockUserBlobs } from './locks.js';
import { deleteObjectsNow, scheduleDeletion } from './object-deletions.js';
import { freeSpace } from './quotas.js';

// Leftovers (a collection that failed or never ran) are found by the sweeper after this long.
const LEFTOVER_AGE_MS = 60 * 60 * 1000;

const UNREFERENCED = `NOT EXISTS (SELECT 1 FROM files f WHERE f.blob_id = b.id)
  AND NOT EXISTS (SELECT 1 FROM checkpoint_files cf WHERE cf.blob_id = b.id)
  AND NOT EXISTS (SELECT 1 FROM checkpoint_changes cc WHERE cc.blob_id = b.id)
  AND NOT EXISTS (SELECT 1 FROM checkpoint_changes cc WHERE cc.previous_blob_id = b.id)`;

/**
 * Deletes those of the blobs that nothing references, frees their space and deletes their
 * objects; returns how many. A failure is logged: the operation that dropped the references
 * has committed, and the sweeper collects what is left.
 */
export async function collectBlobs(deps: FilesDeps, blobIds: Iterable<string | null | undefined>): Promise<number> {
  const ids = [...new Set([...blobIds].filter((id): id is string => !!id))];
  if (ids.length === 0) return 0;
  let collected = 0;
  try {
    const owners = await deps.db.blob.findMany({ where: { id: { in: ids } }, select: { id: true, userId: true } });
    const byUser = new Map<string, string[]>();
    for (const blob of owners) byUser.set(blob.userId, [...(byUser.get(blob.userId) ?? []), blob.id]);
    for (const [userId, userBlobs] of byUser) {
      const keys = await deps.db.$transaction((tx) => collectUserBlobs(tx, userId, userBlobs), LOCKING_TRANSACTION);
      await deleteObjectsNow(deps.db, deps.storage, deps.logger, keys);
      collected += keys.length;
    }
  } catch (error) {
    deps.logger.warn({ err: error, blobs: ids.length }, 'could not collect unreferenced blobs; the sweeper will');
  }
  return collected;
}

async function collectUserBlobs(tx: Tx, userId: string, ids: string[]): Promise<string[]> {
  await lockUserBlobs(tx, userId);
  const gone = await tx.$queryRawUnsafe<Array<{ key: string; size: bigint }>>(
    `DELETE FROM blobs b WHERE b.id = ANY($1::uuid[]) AND b.user_id = $2::uuid AND ${UNREFERENCED} RETURNING b.key, b.size`,
    ids,
    userId,
  );
  if (gone.length === 0) return [];
  await freeSpace(tx, userId, gone.reduce((sum, blob) => sum + BigInt(blob.size), 0n));
  const keys = gone.map((blob) => blob.key);
  await scheduleDeletion(tx, keys);
  return keys;
}

/** The sweeper's part: up to `limit` unreferenced blobs older than an hour; returns how many went. */
export async function collectLeftoverBlobs(deps: FilesDeps, limit = 100): Promise<number> {
  const leftovers = await deps.db.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT b.id::text AS id FROM blobs b WHERE b.created_at < now() - ($1::int * interval '1 millisecond') AND ${UNREFERENCED} LIMIT $2::int`,
    LEFTOVER_AGE_MS,
    limit,
  );
  return collectBlobs(deps, leftovers.map((blob) => blob.id));
}

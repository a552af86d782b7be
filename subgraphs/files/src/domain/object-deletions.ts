// Deleting objects from storage reliably. Storage is not part of the database transaction, so
// the transaction that stops referencing an object records its deletion (object_deletions),
// and objects that no row owns yet (an upload's target, a copy in progress) are recorded
// before they are written. Right after the commit the service deletes what is due; the
// sweeper retries whatever that missed. Storage thus never keeps bytes nobody accounts for.
import type { Logger } from '@builderai/kit';
import type { ObjectStorage } from '../storage/object-storage.js';
import type { Db, Tx } from './db.js';

// A sweeper that dies mid-batch leaves its claim; another takes the keys over after this long.
const CLAIM_MS = 5 * 60 * 1000;

/** Records that `keys` are to be deleted once `notBefore` has passed (now by default). */
export async function scheduleDeletion(tx: Tx, keys: string[], notBefore: Date = new Date()): Promise<void> {
  if (keys.length > 0) await tx.objectDeletion.createMany({ data: keys.map((key) => ({ key, notBefore })) });
}

/** A row owns these objects now: they must stay. */
export async function cancelDeletion(tx: Tx, keys: string[]): Promise<void> {
  await tx.objectDeletion.deleteMany({ where: { key: { in: keys } } });
}

/**
 * Deletes the objects now, after the commit that scheduled them, and forgets their due
 * deletions. A failure is logged and left to the sweeper. Deletions scheduled for later
 * (an upload URL that may still be used) stay scheduled.
 */
export async function deleteObjectsNow(db: Db, storage: ObjectStorage, logger: Logger, keys: string[]): Promise<void> {
  const deleted: string[] = [];
  for (const key of new Set(keys)) {
    try {
      await storage.delete(key);
      deleted.push(key);
    } catch (error) {
      logger.warn({ err: error, key }, 'could not delete an object; the sweeper will retry');
    }
  }
  if (deleted.length > 0) await db.objectDeletion.deleteMany({ where: { key: { in: deleted }, notBefore: { lte: new Date() } } });
}

/** Deletes up to `limit` objects whose deletion is due; returns how many. */
export async function runDueDeletions(db: Db, storage: ObjectStorage, logger: Logger, limit = 100): Promise<number> {
  // Claimed by pushing their time forward, so concurrent sweepers take different keys.
  const due = await db.$queryRawUnsafe<Array<{ id: string; key: string }>>(
    `UPDATE object_deletions SET not_before = now() + ($2::int * interval '1 millisecond')
     WHERE id IN (SELECT id FROM object_deletions WHERE not_before <= now() ORDER BY not_before LIMIT $1::int FOR UPDATE SKIP LOCKED)
     RETURNING id, key`,
    limit,
    CLAIM_MS,
  );
  const done: string[] = [];
  for (const { id, key } of due) {
    try {
      await storage.delete(key);
      done.push(id);
    } catch (error) {
      logger.warn({ err: error, key }, 'could not delete an object; will retry');
    }
  }
  if (done.length > 0) await db.objectDeletion.deleteMany({ where: { id: { in: done } } });
  return done.length;
}

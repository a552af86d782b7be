// Who may see a file, and removing files (one, or all of a project's) with everything they hold:
// the row, its reservation or its reference to a blob, its objects, and the event that tells
// the projects service. A READY file's space is its blob's: it comes back when the blob is
// collected, i.e. once no other file and no checkpoint holds the same content.
import { isUuid, notFound, type Identity } from '@builderai/kit';
import type { FilesDeps } from '../deps.js';
import type { FileStatus } from '../generated/prisma/client.ts';
import { collectBlobs } from './blob-collection.js';
import type { Db, Tx } from './db.js';
import { fileDeletedPayload } from './file-events.js';
import { filesEvents } from '../events.js';
import { storageKeyOf, type FileRecord } from './file-record.js';
import { LOCKING_TRANSACTION, lockProject } from './locks.js';
import { uploadObjectKey } from './object-keys.js';
import { deleteObjectsNow, scheduleDeletion } from './object-deletions.js';
import { releaseSpace } from './quotas.js';
import { logUserChange } from './user-changes.js';

/** A file is its owner's; admins see every file. */
export function canSeeFile(identity: Identity, file: { userId: string }): boolean {
  return identity.userId === file.userId || identity.roles.includes('ADMIN');
}

/** The file, fresh from the database, if `identity` may see it; NOT_FOUND otherwise (whose it is stays unsaid). */
export async function findVisibleFile(db: Db, identity: Identity, id: string): Promise<FileRecord> {
  const file = isUuid(id) ? await db.file.findUnique({ where: { id }, include: { metadata: true } }) : null;
  if (!file || !canSeeFile(identity, file)) throw notFound('File');
  return file;
}

/** What removing files leaves to do once the transaction has committed. */
export interface Removal {
  /** Objects to delete now (an upload's). */
  keys: string[];
  /** Blobs the removed READY files pointed at: to collect. */
  blobIds: string[];
  /** Whether a READY file went. */
  ready: boolean;
}

/**
 * Deletes the file's row in the caller's transaction: an upload's reservation is released and
 * its objects scheduled for deletion; a READY file records files.file.deleted and hands its
 * blob over for collection. Nothing when the file was already gone, or is no longer in one of
 * `statuses`.
 */
export async function removeFile(tx: Tx, file: FileRecord, statuses: FileStatus[] = ['PENDING', 'READY']): Promise<Removal> {
  // The status as the row is deleted: a concurrent completeUpload may have made it READY.
  const [removed] = await tx.$queryRawUnsafe<Array<{ status: FileStatus; blob_id: string | null }>>(
    `DELETE FROM files WHERE id = $1::uuid AND status::text = ANY($2::text[]) RETURNING status::text AS status, blob_id::text AS blob_id`,
    file.id,
    statuses,
  );
  if (!removed) return { keys: [], blobIds: [], ready: false };
  if (removed.status === 'READY') {
    await filesEvents.record(tx, 'files.file.deleted', fileDeletedPayload(file));
    return { keys: [], blobIds: removed.blob_id ? [removed.blob_id] : [], ready: true };
  }
  await releaseSpace(tx, file.userId, file.size);
  const keys = [storageKeyOf(file), uploadObjectKey(file.userId, file.id)];
  await scheduleDeletion(tx, keys);
  return { keys, blobIds: [], ready: false };
}

/** Everything that `removals` left to do after their commit: objects deleted, blobs collected, events published. */
export async function afterRemovals(deps: FilesDeps, ...removals: Removal[]): Promise<void> {
  await deleteObjectsNow(deps.db, deps.storage, deps.logger, removals.flatMap((removal) => removal.keys));
  await collectBlobs(deps, removals.flatMap((removal) => removal.blobIds));
  deps.publishEvents();
}

/** Deletes a file (or cancels an upload) that `identity` may see; a READY file's deletion is the user's change. */
export async function deleteFile(deps: FilesDeps, identity: Identity, id: string): Promise<void> {
  const file = await findVisibleFile(deps.db, identity, id);
  const removal = await deps.db.$transaction(async (tx) => {
    await lockProject(tx, file.projectId);
    const removal = await removeFile(tx, file);
    if (removal.ready) await logUserChange(tx, file.projectId, file.path, 'DELETED');
    return removal;
  }, LOCKING_TRANSACTION);
  await afterRemovals(deps, removal);
}

/**
 * Removes every file of a project, its checkpoints and its log of user changes, in the caller's
 * transaction; returns what to do after it commits (every blob they referenced is a candidate).
 */
export async function removeProjectFiles(tx: Tx, projectId: string): Promise<Removal> {
  await lockProject(tx, projectId);
  const referenced = await tx.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT cf.blob_id::text AS id FROM checkpoint_files cf JOIN checkpoints c ON c.id = cf.checkpoint_id WHERE c.project_id = $1::uuid
     UNION SELECT unnest(ARRAY[cc.blob_id, cc.previous_blob_id])::text FROM checkpoint_changes cc JOIN checkpoints c ON c.id = cc.checkpoint_id WHERE c.project_id = $1::uuid`,
    projectId,
  );
  // Manifests and changes go with their checkpoints.
  await tx.checkpoint.deleteMany({ where: { projectId } });
  await tx.userFileChange.deleteMany({ where: { projectId } });
  const files = await tx.file.findMany({ where: { projectId }, include: { metadata: true } });
  const removal: Removal = { keys: [], blobIds: referenced.map((row) => row.id).filter(Boolean), ready: false };
  for (const file of files) {
    const { keys, blobIds, ready } = await removeFile(tx, file);
    removal.keys.push(...keys);
    removal.blobIds.push(...blobIds);
    removal.ready ||= ready;
  }
  return removal;
}

// Who may see a file, and removing files (one, or all of a project's) with everything they hold:
// the row, its space in the quota, its objects, and the event that tells the projects service.
import { isUuid, notFound, type Identity } from '@builderai/kit';
import type { FilesDeps } from '../deps.js';
import type { FileStatus } from '../generated/prisma/client.ts';
import type { Db, Tx } from './db.js';
import { fileDeletedPayload } from './file-events.js';
import { filesEvents } from '../events.js';
import { storageKeyOf, type FileRecord } from './file-record.js';
import { uploadObjectKey } from './object-keys.js';
import { deleteObjectsNow, scheduleDeletion } from './object-deletions.js';
import { freeSpace, releaseSpace } from './quotas.js';

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

/**
 * Deletes the file's row, gives its space back and schedules its objects for deletion, in the
 * caller's transaction; a READY file also records files.file.deleted. Returns the object keys
 * to delete once the transaction has committed (none when the file was already gone, or is
 * no longer in one of `statuses`).
 */
export async function removeFile(tx: Tx, file: FileRecord, statuses: FileStatus[] = ['PENDING', 'READY']): Promise<string[]> {
  // The status as the row is deleted: a concurrent completeUpload may have made it READY.
  const [removed] = await tx.$queryRawUnsafe<Array<{ status: FileStatus }>>(
    `DELETE FROM files WHERE id = $1::uuid AND status::text = ANY($2::text[]) RETURNING status::text AS status`,
    file.id,
    statuses,
  );
  if (!removed) return [];
  let keys: string[];
  if (removed.status === 'READY') {
    await freeSpace(tx, file.userId, file.size);
    await filesEvents.record(tx, 'files.file.deleted', fileDeletedPayload(file));
    keys = [storageKeyOf(file)];
  } else {
    await releaseSpace(tx, file.userId, file.size);
    keys = [storageKeyOf(file), uploadObjectKey(file.userId, file.id)];
  }
  await scheduleDeletion(tx, keys);
  return keys;
}

/** Deletes a file (or cancels an upload) that `identity` may see. */
export async function deleteFile(deps: FilesDeps, identity: Identity, id: string): Promise<void> {
  const file = await findVisibleFile(deps.db, identity, id);
  const keys = await deps.db.$transaction((tx) => removeFile(tx, file));
  await deleteObjectsNow(deps.db, deps.storage, deps.logger, keys);
  deps.publishEvents();
}

/** Removes every file of a project, in the caller's transaction; returns the keys to delete after it commits. */
export async function removeProjectFiles(tx: Tx, projectId: string): Promise<string[]> {
  const files = await tx.file.findMany({ where: { projectId }, include: { metadata: true } });
  const keys: string[] = [];
  for (const file of files) keys.push(...(await removeFile(tx, file)));
  return keys;
}

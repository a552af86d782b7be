// Changes to a project's READY files as one checkpoint makes them: planned against the files
// as they are (under the project's lock), applied as new rows from blobs, and recorded with
// the full manifest of the files after them.
import type { ObjectStorage } from '../../storage/object-storage.js';
import type { Blob, Checkpoint, CheckpointChange, CheckpointKind, FileChangeAction } from '../../generated/prisma/client.ts';
import type { BlobRecord } from '../blobs.js';
import type { Tx } from '../db.js';
import type { FileRecord } from '../file-record.js';
import { removeFile, type Removal } from '../files.js';
import { createReadyFile } from '../ready-files.js';
import { nextPosition } from '../user-changes.js';

export type CheckpointRecord = Checkpoint;

/** A recorded change with the blobs before and after it, as FileChange resolves it. */
export type ChangeRecord = CheckpointChange & { blob: Blob | null; previousBlob: Blob | null };

/** One path's change: the READY file there now (if any) and what it becomes (nothing: deleted). */
export interface PlannedChange {
  path: string;
  before?: FileRecord;
  after?: { blob: BlobRecord; type: string };
}

export const actionOf = ({ before, after }: PlannedChange): FileChangeAction => (!before ? 'ADDED' : after ? 'MODIFIED' : 'DELETED');

/** Replaces, creates and deletes the READY files; returns what the removed rows leave to collect. */
export async function applyChanges(tx: Tx, storage: ObjectStorage, projectId: string, changes: PlannedChange[]): Promise<Removal> {
  const removal: Removal = { keys: [], blobIds: [], ready: false };
  // Every old row first: a path holds one READY file.
  for (const { before } of changes) {
    if (!before) continue;
    const removed = await removeFile(tx, before, ['READY']);
    removal.blobIds.push(...removed.blobIds);
    removal.ready ||= removed.ready;
  }
  for (const { path, after } of changes) if (after) await createReadyFile(tx, storage, { projectId, path, type: after.type, blob: after.blob });
  return removal;
}

export interface NewCheckpoint {
  projectId: string;
  userId: string;
  kind: CheckpointKind;
  messageId?: string;
  restoredFromId?: string;
  changes: PlannedChange[];
}

/** Records the checkpoint of changes just applied: its position, the manifest of the files now, and the changes. */
export async function recordCheckpoint(tx: Tx, { changes, ...checkpoint }: NewCheckpoint): Promise<CheckpointRecord> {
  const created = await tx.checkpoint.create({ data: { ...checkpoint, position: await nextPosition(tx) } });
  await tx.$executeRawUnsafe(
    `INSERT INTO checkpoint_files (checkpoint_id, path, blob_id, type)
     SELECT $1::uuid, path, blob_id, type FROM files WHERE project_id = $2::uuid AND status = 'READY'`,
    created.id,
    checkpoint.projectId,
  );
  await tx.checkpointChange.createMany({
    data: changes.map((change) => ({
      checkpointId: created.id,
      path: change.path,
      action: actionOf(change),
      previousBlobId: change.before?.blobId ?? null,
      previousType: change.before?.type ?? null,
      blobId: change.after?.blob.id ?? null,
      type: change.after?.type ?? null,
    })),
  });
  return created;
}

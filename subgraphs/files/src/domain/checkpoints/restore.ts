// restoreCheckpoint: the project's files made what they were right after a checkpoint, as a new
// RESTORE checkpoint (so restoring the one before it undoes a restore). No bytes are written:
// the checkpoint's manifest points at blobs that exist. A file the user changed themself after
// that checkpoint, and that the restore would change, is a conflict: without `force` nothing
// changes; with it, the user's version stays in the restore's changes (previousChecksum).
import { notFound, type Identity } from '@builderai/kit';
import type { FilesDeps } from '../../deps.js';
import type { FileChangeAction } from '../../generated/prisma/client.ts';
import type { BlobRecord } from '../blobs.js';
import type { Tx } from '../db.js';
import type { FileRecord } from '../file-record.js';
import { afterRemovals, type Removal } from '../files.js';
import { LOCKING_TRANSACTION, lockProject, shareUserBlobs } from '../locks.js';
import { readyFilesByPath, sameContent } from '../ready-files.js';
import { applyChanges, recordCheckpoint, type CheckpointRecord, type PlannedChange } from './changes.js';
import { findVisibleCheckpoint } from './history.js';

export interface RestoreConflict {
  path: string;
  /** What the user did last to the path. */
  action: FileChangeAction;
}

export interface RestoreOutcome {
  /** Null when nothing changed: conflicts without force, or the files already were as at the checkpoint. */
  checkpoint: CheckpointRecord | null;
  /** With force, the user's changes the restore overwrote. */
  conflicts: RestoreConflict[];
}

export async function restoreCheckpoint(
  deps: FilesDeps,
  identity: Identity & { userId: string },
  input: { projectId: string; checkpointId: string; force: boolean },
  requestId?: string,
): Promise<RestoreOutcome> {
  const { projectId, checkpointId, force } = input;
  await deps.projectAccess.assertCanUse(identity, projectId, requestId);
  const target = await findVisibleCheckpoint(deps.db, identity, checkpointId);
  if (!target || target.projectId !== projectId) throw notFound('Checkpoint');

  const { removal, ...outcome } = await deps.db.$transaction(async (tx): Promise<RestoreOutcome & { removal?: Removal }> => {
    await lockProject(tx, projectId);
    const manifest = await tx.checkpointFile.findMany({ where: { checkpointId }, include: { blob: true } });
    const planned = difference(await readyFilesByPath(tx, projectId), manifest);
    if (planned.length === 0) return { checkpoint: null, conflicts: [] };
    const conflicts = await userChangesSince(tx, projectId, target.position, planned.map((change) => change.path));
    if (conflicts.length > 0 && !force) return { checkpoint: null, conflicts };

    await shareUserBlobs(tx, planned.flatMap((change) => (change.after ? [change.after.blob.userId] : [])));
    const removal = await applyChanges(tx, deps.storage, projectId, planned);
    // The project's owner's checkpoint, whoever restores (an admin's restore is in the owner's history).
    const checkpoint = await recordCheckpoint(tx, { projectId, userId: target.userId, kind: 'RESTORE', restoredFromId: checkpointId, changes: planned });
    return { checkpoint, conflicts, removal };
  }, LOCKING_TRANSACTION);
  await afterRemovals(deps, ...(removal ? [removal] : []));
  return outcome;
}

type ManifestEntry = { path: string; type: string; blob: BlobRecord };

/** What turns the current files into the manifest's, path by path (same bytes and type: no change). */
function difference(current: Map<string, FileRecord>, manifest: ManifestEntry[]): PlannedChange[] {
  const planned: PlannedChange[] = [];
  const wanted = new Map(manifest.map((entry) => [entry.path, entry]));
  for (const path of [...new Set([...current.keys(), ...wanted.keys()])].sort()) {
    const before = current.get(path);
    const entry = wanted.get(path);
    if (sameContent(before, entry?.blob.sha256, entry?.type)) continue;
    planned.push({ path, before, after: entry && { blob: entry.blob, type: entry.type } });
  }
  return planned;
}

/**
 * The paths among `paths` that the user changed after `position`, with what they did last.
 * A later restore that changed the path settled the user's change (it was overwritten then,
 * with force or because it was older than that restore's checkpoint), so it counts no more.
 */
async function userChangesSince(tx: Tx, projectId: string, position: bigint, paths: string[]): Promise<RestoreConflict[]> {
  return tx.$queryRawUnsafe<RestoreConflict[]>(
    `SELECT DISTINCT ON (u.path) u.path, u.action::text AS action
     FROM user_file_changes u
     WHERE u.project_id = $1::uuid AND u.position > $2::bigint AND u.path = ANY($3::text[])
       AND NOT EXISTS (
         SELECT 1 FROM checkpoint_changes cc JOIN checkpoints c ON c.id = cc.checkpoint_id
         WHERE c.project_id = u.project_id AND c.kind = 'RESTORE' AND cc.path = u.path AND c.position > u.position)
     ORDER BY u.path, u.position DESC`,
    projectId,
    position,
    paths,
  );
}

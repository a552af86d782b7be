// Filling a project's duplicate with the source's READY files. The owner's own files share
// their blobs: new rows, no copy, no charge. Another user's files (an admin's upload, say)
// are copied into new objects and blobs of the duplicate's owner, charged to them; those that
// do not fit the quota are skipped with a warning, and the duplicate is still usable. Each new
// file records files.file.uploaded.
import { randomUUID } from 'node:crypto';
import type { FilesDeps } from '../deps.js';
import { blobFor } from './blobs.js';
import type { Tx } from './db.js';
import { storageKeyOf, type FileRecord } from './file-record.js';
import { lockProject, shareUserBlobs } from './locks.js';
import { blobObjectKey } from './object-keys.js';
import { deleteObjectsNow, scheduleDeletion } from './object-deletions.js';
import { chargeSpace, storageUsage } from './quotas.js';
import { createReadyFile } from './ready-files.js';

export interface Duplication {
  projectId: string;
  sourceProjectId: string;
  userId: string;
}

/** Runs `work` in a transaction unless it ran before for this event (kit handleOnce); false when it had. */
export type ApplyOnce = (work: (tx: Tx) => Promise<void>) => Promise<boolean>;

// Copies are made before the transaction that records them; one that no row ends up owning
// (a failure, a duplicate delivery) is deleted after this long.
const UNCLAIMED_COPY_MS = 60 * 60 * 1000;

interface Copy {
  source: FileRecord;
  blobId: string;
  key: string;
}

export async function copyProjectFiles(deps: FilesDeps, duplication: Duplication, applyOnce: ApplyOnce): Promise<void> {
  const { projectId, sourceProjectId, userId } = duplication;
  const log = deps.logger.child({ projectId, sourceProjectId, userId });
  const foreign = await deps.db.file.findMany({
    where: { projectId: sourceProjectId, status: 'READY', userId: { not: userId } },
    include: { metadata: true },
    orderBy: { path: 'asc' },
  });

  // Planned against the quota as it is now; the transaction charges each new blob again.
  let remaining = storageUsage(await deps.db.storageQuota.findUnique({ where: { userId } }), deps.config.quotaBytes).remaining;
  const copies: Copy[] = [];
  for (const source of foreign) {
    const size = Number(source.size);
    if (size > remaining) {
      log.warn({ path: source.path, size }, 'skipped copying a file that does not fit the storage quota');
      continue;
    }
    remaining -= size;
    const blobId = randomUUID();
    copies.push({ source, blobId, key: blobObjectKey(userId, blobId) });
  }

  const keys = copies.map((copy) => copy.key);
  await scheduleDeletion(deps.db, keys, new Date(Date.now() + UNCLAIMED_COPY_MS));
  for (const copy of copies) await deps.storage.copy(storageKeyOf(copy.source), copy.key);

  const kept = new Set<string>();
  await applyOnce(async (tx) => {
    await lockProject(tx, projectId);
    await shareUserBlobs(tx, [userId]);
    // Read under the locks: the owner's blobs stay while these rows point at them.
    const own = await tx.file.findMany({ where: { projectId: sourceProjectId, status: 'READY', userId }, include: { blob: true }, orderBy: { path: 'asc' } });
    for (const source of own) {
      if (source.blob && !(await pathTaken(tx, projectId, source.path))) {
        await createReadyFile(tx, deps.storage, { projectId, path: source.path, type: source.type, blob: source.blob });
      }
    }
    for (const copy of copies) if (await recordCopy(deps, tx, duplication, copy)) kept.add(copy.key);
  });
  await deleteObjectsNow(deps.db, deps.storage, deps.logger, keys.filter((key) => !kept.has(key)));
  deps.publishEvents();
}

// The user already put a file at this path in the new project: theirs is newer.
const pathTaken = async (tx: Tx, projectId: string, path: string) =>
  !!(await tx.file.findUnique({ where: { projectId_path_status: { projectId, path, status: 'READY' } } }));

// Records one copy in the duplicate; false when its object is not needed (skipped, or the owner has those bytes already).
async function recordCopy(deps: FilesDeps, tx: Tx, { projectId, userId }: Duplication, { source, blobId, key }: Copy): Promise<boolean> {
  if (await pathTaken(tx, projectId, source.path)) return false;
  const checksum = source.metadata?.checksum;
  if (!checksum) return false;
  const outcome = await blobFor(tx, userId, { sha256: checksum, size: source.size }, { id: blobId, key }, () =>
    chargeSpace(tx, userId, source.size, deps.config.quotaBytes),
  );
  if (typeof outcome === 'string') {
    deps.logger.warn({ projectId, path: source.path, size: Number(source.size) }, 'skipped copying a file that does not fit the storage quota');
    return false;
  }
  await createReadyFile(tx, deps.storage, { projectId, path: source.path, type: source.type, blob: outcome.blob });
  return outcome.created;
}

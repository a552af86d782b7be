// Copying a project's files into its duplicate: new objects, new READY rows charged to the
// duplicate's owner, and files.file.uploaded for each copy. Files that do not fit the owner's
// quota are skipped with a warning; the duplicate is still usable.
import { randomUUID } from 'node:crypto';
import type { FilesDeps } from '../deps.js';
import type { Tx } from './db.js';
import { fileUploadedPayload } from './file-events.js';
import { filesEvents } from '../events.js';
import { storageKeyOf, type FileRecord } from './file-record.js';
import { fileObjectKey } from './object-keys.js';
import { cancelDeletion, deleteObjectsNow, scheduleDeletion } from './object-deletions.js';
import { chargeSpace, storageUsage } from './quotas.js';

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
  id: string;
  key: string;
}

export async function copyProjectFiles(deps: FilesDeps, duplication: Duplication, applyOnce: ApplyOnce): Promise<void> {
  const { projectId, sourceProjectId, userId } = duplication;
  const log = deps.logger.child({ projectId, sourceProjectId, userId });
  const sources = await deps.db.file.findMany({
    where: { projectId: sourceProjectId, status: 'READY' },
    include: { metadata: true },
    orderBy: { path: 'asc' },
  });

  // Planned against the quota as it is now; the transaction charges each copy again.
  let remaining = storageUsage(await deps.db.storageQuota.findUnique({ where: { userId } }), deps.config.quotaBytes).remaining;
  const copies: Copy[] = [];
  for (const source of sources) {
    const size = Number(source.size);
    if (size > remaining) {
      log.warn({ path: source.path, size }, 'skipped copying a file that does not fit the storage quota');
      continue;
    }
    remaining -= size;
    const id = randomUUID();
    copies.push({ source, id, key: fileObjectKey(userId, id) });
  }

  const keys = copies.map((copy) => copy.key);
  await scheduleDeletion(deps.db, keys, new Date(Date.now() + UNCLAIMED_COPY_MS));
  for (const copy of copies) await deps.storage.copy(storageKeyOf(copy.source), copy.key);

  const kept = new Set<string>();
  await applyOnce(async (tx) => {
    for (const copy of copies) if (await recordCopy(deps, tx, duplication, copy)) kept.add(copy.key);
  });
  await deleteObjectsNow(deps.db, deps.storage, deps.logger, keys.filter((key) => !kept.has(key)));
  deps.publishEvents();
}

// Records one copy in the duplicate; false when it was skipped.
async function recordCopy(deps: FilesDeps, tx: Tx, { projectId, userId }: Duplication, { source, id, key }: Copy): Promise<boolean> {
  const taken = await tx.file.findUnique({ where: { projectId_path_status: { projectId, path: source.path, status: 'READY' } } });
  // The user already uploaded this path to the new project: theirs is newer.
  if (taken) return false;
  if (!(await chargeSpace(tx, userId, source.size, deps.config.quotaBytes))) {
    deps.logger.warn({ projectId, path: source.path, size: Number(source.size) }, 'skipped copying a file that does not fit the storage quota');
    return false;
  }
  const file = await tx.file.create({
    data: {
      id,
      userId,
      projectId,
      path: source.path,
      name: source.name,
      size: source.size,
      type: source.type,
      url: deps.storage.uriOf(key),
      status: 'READY',
      metadata: { create: { checksum: source.metadata?.checksum, storageLocation: key } },
    },
  });
  await cancelDeletion(tx, [key]);
  await filesEvents.record(tx, 'files.file.uploaded', fileUploadedPayload(file));
  return true;
}

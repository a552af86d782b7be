// Uploads, from announcement to a verified file. createUpload checks the request, reserves the
// space and hands out a URL; the bytes go straight to storage; completeUpload checks them and
// makes the file READY, its bytes a blob of the user (or the blob they already have of them). An upload that fails a check, or is never completed, leaves nothing:
// no row, no reserved space, no object.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { badUserInput, conflict, isUniqueViolation, notFound, type Identity } from '@builderai/kit';
import type { FilesDeps } from '../deps.js';
import type { Db, Tx } from './db.js';
import { normalizeContentType } from './content-types.js';
import { fileUploadedPayload } from './file-events.js';
import { filesEvents } from '../events.js';
import { normalizeFilePath } from './file-paths.js';
import { storageKeyOf, type FileRecord } from './file-record.js';
import { afterRemovals, findVisibleFile, removeFile } from './files.js';
import { blobFor } from './blobs.js';
import { LOCKING_TRANSACTION, lockProject, shareUserBlobs } from './locks.js';
import { fileObjectKey, uploadObjectKey } from './object-keys.js';
import { deleteObjectsNow, scheduleDeletion } from './object-deletions.js';
import { releaseSpace, reserveSpace, settleSpace } from './quotas.js';
import { sameContent } from './ready-files.js';
import { logUserChange } from './user-changes.js';
import { verifyUpload } from './upload-verification.js';
import { ObjectChangedError } from '../storage/object-storage.js';

export interface UploadInput {
  name: string;
  size: number;
  contentType: string;
  projectId: string;
}

/** What createUpload answers: the pending file and how to send its bytes. */
export interface UploadTicket {
  file: FileRecord;
  uploadUrl: string;
  method: 'PUT';
  headers: Array<{ name: string; value: string }>;
  expiresAt: Date;
}

// An upload that started just before its URL expired may still be landing; its objects are
// deleted only after this much longer (one more TTL, at most a minute).
const landingTimeMs = (ttlSeconds: number) => Math.min(ttlSeconds * 1000, 60_000);

function parseSize(size: number, max: number): number {
  if (!Number.isInteger(size) || size < 0) throw badUserInput('size must be a whole number of bytes', 'size');
  if (size > max) throw badUserInput(`Files may be at most ${max} bytes`, 'size');
  return size;
}

/**
 * Announces an upload into one of the user's projects. Refuses a bad name, type or size
 * (BAD_USER_INPUT), a project that is not theirs (NOT_FOUND) and a size that does not fit
 * their quota (QUOTA_EXCEEDED), all before anything is stored.
 */
export async function createUpload(deps: FilesDeps, identity: Identity & { userId: string }, input: UploadInput, requestId?: string): Promise<UploadTicket> {
  const { path, name } = normalizeFilePath(input.name);
  const contentType = normalizeContentType(input.contentType);
  const size = parseSize(input.size, deps.config.maxFileBytes);
  const { projectId } = input;
  await deps.projectAccess.assertCanUse(identity, projectId, requestId);

  const userId = identity.userId;
  const fileId = randomUUID();
  const expiresAt = new Date(Date.now() + deps.config.uploadTtlSeconds * 1000);
  const uploadKey = uploadObjectKey(userId, fileId);
  const fileKey = fileObjectKey(userId, fileId);
  const presigned = await deps.storage.presignPut(uploadKey, { fileId, contentType, size, expiresAt });

  let file: FileRecord;
  try {
    file = await deps.db.$transaction(async (tx) => {
      await supersedePendingUpload(tx, projectId, path);
      await reserveSpace(tx, userId, size, deps.config.quotaBytes);
      // Whatever the URL writes, and a file copy that is never completed, go once the URL is dead.
      await scheduleDeletion(tx, [uploadKey, fileKey], new Date(expiresAt.getTime() + landingTimeMs(deps.config.uploadTtlSeconds)));
      return tx.file.create({
        data: { id: fileId, userId, projectId, path, name, size, type: contentType, uploadExpiresAt: expiresAt, metadata: { create: { storageLocation: fileKey } } },
        include: { metadata: true },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('Another upload to this path is starting; try again', 'name');
    throw error;
  }
  const headers = Object.entries(presigned.headers).map(([headerName, value]) => ({ name: headerName, value }));
  return { file, uploadUrl: presigned.url, method: 'PUT', headers, expiresAt };
}

// A new upload to a path replaces one still in progress there (e.g. a retry after a failed PUT).
async function supersedePendingUpload(tx: Tx, projectId: string, path: string): Promise<void> {
  const pending = await tx.file.findUnique({ where: { projectId_path_status: { projectId, path, status: 'PENDING' } } });
  if (!pending) return;
  await tx.file.delete({ where: { id: pending.id } });
  await releaseSpace(tx, pending.userId, pending.size);
}

/**
 * Checks the uploaded bytes and makes the file READY, replacing the project's READY file at
 * the same path. Bytes that fail a check are removed with the upload (BAD_USER_INPUT).
 * Completing a READY file again returns it unchanged.
 */
export async function completeUpload(deps: FilesDeps, identity: Identity, id: string): Promise<FileRecord> {
  const waitUntil = Date.now() + COMPLETION_LEASE_MS;
  for (;;) {
    const file = await findVisibleFile(deps.db, identity, id);
    if (file.status === 'READY') return file;
    if (await claimCompletion(deps.db, file.id)) return completeClaimed(deps, file);
    // Another call is checking these bytes: its outcome is this call's too.
    if (Date.now() > waitUntil) throw conflict('The upload is being completed by another request; try again', 'id');
    await sleep(COMPLETION_POLL_MS);
  }
}

async function completeClaimed(deps: FilesDeps, file: FileRecord): Promise<FileRecord> {
  try {
    return await verifyAndPublish(deps, file);
  } catch (error) {
    // Published meanwhile (by a call that found the lease lapsed), or left to be tried again.
    const current = await deps.db.file.findUnique({ where: { id: file.id }, include: { metadata: true } });
    if (current?.status === 'READY') return current;
    if (current) await deps.db.file.updateMany({ where: { id: file.id, status: 'PENDING' }, data: { completingUntil: null } });
    throw error;
  }
}

// One call at a time checks and copies an upload's bytes: two copies racing to the file's key
// could leave bytes that neither checked. The lease outlives any check; a holder that died
// frees it when it lapses.
const COMPLETION_LEASE_MS = 120_000;
const COMPLETION_POLL_MS = 100;

async function claimCompletion(db: Db, fileId: string): Promise<boolean> {
  const now = new Date();
  const { count } = await db.file.updateMany({
    where: { id: fileId, status: 'PENDING', OR: [{ completingUntil: null }, { completingUntil: { lte: now } }] },
    data: { completingUntil: new Date(now.getTime() + COMPLETION_LEASE_MS) },
  });
  return count === 1;
}

async function verifyAndPublish(deps: FilesDeps, file: FileRecord): Promise<FileRecord> {
  if (!file.uploadExpiresAt || file.uploadExpiresAt <= new Date()) {
    await discardUpload(deps, file);
    throw badUserInput('The upload URL has expired; start a new upload', 'id');
  }

  const uploadKey = uploadObjectKey(file.userId, file.id);
  const stored = await deps.storage.head(uploadKey);
  if (!stored) throw badUserInput('Nothing has been uploaded to the upload URL yet', 'id');
  // Only the checked bytes reach the file's key: the version read is the version copied, so a
  // presigned PUT replayed meanwhile is refused rather than published.
  const fileKey = storageKeyOf(file);
  try {
    const verdict = await verifyUpload(deps.storage, uploadKey, stored, { size: Number(file.size), contentType: file.type });
    if ('problem' in verdict) {
      await discardUpload(deps, file);
      throw badUserInput(verdict.problem, verdict.field);
    }
    await deps.storage.copy(uploadKey, fileKey, stored.version);
    return await publish(deps, file, uploadKey, fileKey, verdict.sha256);
  } catch (error) {
    if (!(error instanceof ObjectChangedError)) throw error;
    await discardUpload(deps, file);
    throw badUserInput('The upload was written again while it was checked; start a new upload', 'id');
  }
}

async function publish(deps: FilesDeps, file: FileRecord, uploadKey: string, fileKey: string, sha256: string): Promise<FileRecord> {
  const { ready, obsoleteKeys, replaced } = await deps.db.$transaction(async (tx) => {
    await lockProject(tx, file.projectId);
    await shareUserBlobs(tx, [file.userId]);
    const claimed = await tx.file.updateMany({
      where: { id: file.id, status: 'PENDING', uploadExpiresAt: { gt: new Date() } },
      data: { uploadExpiresAt: null },
    });
    // Completed by a concurrent call, or cancelled, replaced or expired while the bytes were checked.
    if (claimed.count === 0) throw notFound('Upload');
    const obsoleteKeys = [uploadKey];
    // Bytes the user already stores are not stored twice: the copy goes and the reservation is
    // given back; new bytes become a blob under the verified key, their reservation now used.
    const outcome = await blobFor(tx, file.userId, { sha256, size: file.size }, { key: fileKey }, async () => {
      await settleSpace(tx, file.userId, file.size);
      return true;
    });
    if (typeof outcome === 'string') throw new Error(`no blob for a verified upload (${outcome})`);
    const { blob, created } = outcome;
    if (!created) {
      await releaseSpace(tx, file.userId, file.size);
      await scheduleDeletion(tx, [fileKey]);
      obsoleteKeys.push(fileKey);
    }
    const previous = await tx.file.findUnique({
      where: { projectId_path_status: { projectId: file.projectId, path: file.path, status: 'READY' } },
      include: { metadata: true },
    });
    const replaced = previous ? await removeFile(tx, previous) : undefined;
    const ready = await tx.file.update({
      where: { id: file.id },
      data: { status: 'READY', url: deps.storage.uriOf(blob.key), blobId: blob.id, metadata: { update: { checksum: sha256, storageLocation: blob.key } } },
      include: { metadata: true },
    });
    await filesEvents.record(tx, 'files.file.uploaded', fileUploadedPayload(ready));
    if (!sameContent(previous ?? undefined, sha256, ready.type)) await logUserChange(tx, file.projectId, file.path, previous ? 'MODIFIED' : 'ADDED');
    return { ready, obsoleteKeys, replaced };
  }, LOCKING_TRANSACTION);
  await deleteObjectsNow(deps.db, deps.storage, deps.logger, obsoleteKeys);
  await afterRemovals(deps, ...(replaced ? [replaced] : []));
  return ready;
}

/** Removes an upload that will never complete: row, reservation and objects (never a READY file). */
async function discardUpload(deps: FilesDeps, file: FileRecord): Promise<void> {
  const { keys } = await deps.db.$transaction((tx) => removeFile(tx, file, ['PENDING']));
  await deleteObjectsNow(deps.db, deps.storage, deps.logger, keys);
}

/** Removes an upload whose one upload URL failed half-way (it can never complete now). */
export async function abandonUpload(deps: FilesDeps, fileId: string): Promise<void> {
  const file = await deps.db.file.findUnique({ where: { id: fileId }, include: { metadata: true } });
  if (file?.status === 'PENDING') await discardUpload(deps, file);
}

/**
 * Takes the one use of an upload URL of the service's own upload endpoint; false when it was
 * used before, or its upload is gone, completed or expired.
 */
export async function claimUploadUrl(db: Db, fileId: string): Promise<boolean> {
  const now = new Date();
  const { count } = await db.file.updateMany({
    where: { id: fileId, status: 'PENDING', uploadedAt: null, uploadExpiresAt: { gt: now } },
    data: { uploadedAt: now },
  });
  return count === 1;
}

/** Removes uploads whose URL expired before completion and gives their space back; returns how many. */
export async function expireUploads(db: Db, limit = 100): Promise<number> {
  return db.$transaction(async (tx) => {
    // Their objects were scheduled for deletion when the upload was announced.
    const expired = await tx.$queryRawUnsafe<Array<{ user_id: string; size: bigint }>>(
      `DELETE FROM files WHERE id IN (
         SELECT id FROM files WHERE status = 'PENDING' AND upload_expires_at <= now()
         ORDER BY upload_expires_at LIMIT $1::int FOR UPDATE SKIP LOCKED)
       RETURNING user_id::text, size`,
      limit,
    );
    for (const upload of expired) await releaseSpace(tx, upload.user_id, upload.size);
    return expired.length;
  });
}

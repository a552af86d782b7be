// READY files as writers make them from blobs: a new row per version (like a completed upload
// replacing a path), with its metadata pointing at the blob's object and files.file.uploaded
// recorded, so downloads, previews and the projects service see a text write like an upload.
import type { ObjectStorage } from '../storage/object-storage.js';
import { filesEvents } from '../events.js';
import type { BlobRecord } from './blobs.js';
import type { Tx } from './db.js';
import { fileUploadedPayload } from './file-events.js';
import type { FileRecord } from './file-record.js';

export interface NewReadyFile {
  projectId: string;
  path: string;
  type: string;
  blob: BlobRecord;
}

/** Creates a READY file of the blob's content, owned (and counted) like the blob: its user's. */
export async function createReadyFile(tx: Tx, storage: ObjectStorage, { projectId, path, type, blob }: NewReadyFile): Promise<FileRecord> {
  const file = await tx.file.create({
    data: {
      userId: blob.userId,
      projectId,
      path,
      name: path.split('/').at(-1)!,
      size: blob.size,
      type,
      url: storage.uriOf(blob.key),
      status: 'READY',
      blobId: blob.id,
      metadata: { create: { checksum: blob.sha256, storageLocation: blob.key } },
    },
    include: { metadata: true },
  });
  await filesEvents.record(tx, 'files.file.uploaded', fileUploadedPayload(file));
  return file;
}

/** The project's READY files (all of them, or those at `paths`), by path. */
export async function readyFilesByPath(tx: Tx, projectId: string, paths?: string[]): Promise<Map<string, FileRecord>> {
  const files = await tx.file.findMany({
    where: { projectId, status: 'READY', ...(paths && { path: { in: paths } }) },
    include: { metadata: true },
  });
  return new Map(files.map((file) => [file.path, file]));
}

/** The same content and type (or no file on either side): writing it changes nothing, nor does deleting a missing file. */
export const sameContent = (file: FileRecord | undefined, sha256: string | undefined, type: string | undefined): boolean =>
  file?.metadata?.checksum === sha256 && file?.type === type;

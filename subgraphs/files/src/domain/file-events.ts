// The events the files service publishes (through its outbox, in the transaction of the change).
import type { File } from '../generated/prisma/client.ts';

export const FILE_UPLOADED = 'files.file.uploaded';
export const FILE_DELETED = 'files.file.deleted';
export const SOURCE = 'files';

/** A file became READY: uploaded and verified, or copied with its project. */
export interface FileUploadedPayload {
  fileId: string;
  projectId: string;
  userId: string;
  name: string;
  path: string;
  contentType: string;
  size: number;
}

/** A READY file is gone: deleted, replaced by a new upload to its path, or deleted with its project. */
export interface FileDeletedPayload {
  fileId: string;
  projectId: string;
  userId: string;
  size: number;
}

export const fileUploadedPayload = (file: File): FileUploadedPayload => ({
  fileId: file.id,
  projectId: file.projectId,
  userId: file.userId,
  name: file.name,
  path: file.path,
  contentType: file.type,
  size: file.size,
});

export const fileDeletedPayload = (file: File): FileDeletedPayload => ({
  fileId: file.id,
  projectId: file.projectId,
  userId: file.userId,
  size: file.size,
});

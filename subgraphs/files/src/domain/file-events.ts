// The payloads of the files service's events, from the file they announce.
import type { EventPayload } from '@builderai/kit';
import type { File } from '../generated/prisma/client.ts';
import type { filesEvents } from '../events.js';

export const fileUploadedPayload = (file: File): EventPayload<typeof filesEvents, 'files.file.uploaded'> => ({
  fileId: file.id,
  projectId: file.projectId,
  userId: file.userId,
  name: file.name,
  path: file.path,
  contentType: file.type,
  size: Number(file.size),
});

export const fileDeletedPayload = (file: File): EventPayload<typeof filesEvents, 'files.file.deleted'> => ({
  fileId: file.id,
  projectId: file.projectId,
  userId: file.userId,
  size: Number(file.size),
});

// Per-request batching: every file, quota or preview lookup of one request, however many
// entities it spans, costs one SQL statement per loader.
import type DataLoader from 'dataloader';
import { batchBy, batchManyBy } from '@builderai/kit';
import type { StorageQuota } from './generated/prisma/client.ts';
import type { Db } from './domain/db.js';
import type { FileRecord } from './domain/file-record.js';
import { PREVIEW_INDEX } from './domain/links.js';

/** Who owns a project's previewable index.html. */
export interface PreviewIndex {
  projectId: string;
  userId: string;
}

export interface FilesLoaders {
  /** Files with their metadata, by id. */
  file: DataLoader<string, FileRecord | null>;
  /** Storage quotas, by user id. */
  storage: DataLoader<string, StorageQuota | null>;
  /** The READY index.html of projects, by project id. */
  previewIndex: DataLoader<string, PreviewIndex | null>;
  /** The READY files of projects with their metadata, oldest first, by project id. */
  projectFiles: DataLoader<string, FileRecord[]>;
}

export function createLoaders(db: Db): FilesLoaders {
  return {
    // The metadata is joined in the same statement (relationJoins).
    file: batchBy(
      (file) => file.id,
      (ids) => db.file.findMany({ where: { id: { in: ids } }, include: { metadata: true }, relationLoadStrategy: 'join' }),
    ),
    storage: batchBy(
      (quota) => quota.userId,
      (userIds) => db.storageQuota.findMany({ where: { userId: { in: userIds } } }),
    ),
    previewIndex: batchBy(
      (index) => index.projectId,
      (projectIds) =>
        db.file.findMany({
          where: { projectId: { in: projectIds }, path: PREVIEW_INDEX, status: 'READY' },
          select: { projectId: true, userId: true },
        }),
    ),
    projectFiles: batchManyBy(
      (file) => file.projectId,
      (projectIds) =>
        db.file.findMany({
          where: { projectId: { in: projectIds }, status: 'READY' },
          include: { metadata: true },
          relationLoadStrategy: 'join',
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
    ),
  };
}

// Per-request batching: every file, quota, preview, checkpoint or content lookup of one
// request, however many entities it spans, costs one SQL statement (or one object read) per
// loader and batch.
import DataLoader from 'dataloader';
import { batchBy, batchManyBy, isUuid } from '@builderai/kit';
import type { StorageQuota } from './generated/prisma/client.ts';
import type { FilesDeps } from './deps.js';
import type { ChangeRecord, CheckpointRecord } from './domain/checkpoints/changes.js';
import { loadPages, type PageRequest } from './domain/checkpoints/history.js';
import type { FileRecord } from './domain/file-record.js';
import { PREVIEW_INDEX } from './domain/links.js';
import { readText } from './domain/text-files.js';

/** Who owns a project's previewable index.html. */
export interface PreviewIndex {
  projectId: string;
  userId: string;
}

/** An object to read as text, if it has at most FILES_TEXT_MAX_BYTES. */
export interface TextObject {
  key: string;
  size: number | bigint;
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
  /** The READY file at a (normalised) path of a project. */
  projectFile: DataLoader<{ projectId: string; path: string }, FileRecord | null, string>;
  /** Checkpoints, by id. */
  checkpoint: DataLoader<string, CheckpointRecord | null>;
  /** A page of a project's checkpoints, newest first (one more than the page, to tell whether another follows). */
  checkpointPage: DataLoader<PageRequest, CheckpointRecord[], string>;
  /** What checkpoints changed, with the blobs before and after, by path; by checkpoint id. */
  checkpointChanges: DataLoader<string, ChangeRecord[]>;
  /** Stored content as text (null past the limit), by object key. */
  text: DataLoader<TextObject, string | null, string>;
}

export function createLoaders({ db, storage, config }: Pick<FilesDeps, 'db' | 'storage' | 'config'>): FilesLoaders {
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
    projectFile: new DataLoader(
      async (keys) => {
        const wanted = keys.filter((key) => isUuid(key.projectId));
        const files = wanted.length
          ? await db.file.findMany({
              where: { status: 'READY', OR: wanted.map(({ projectId, path }) => ({ projectId: projectId.toLowerCase(), path })) },
              include: { metadata: true },
              relationLoadStrategy: 'join',
            })
          : [];
        const byKey = new Map(files.map((file) => [fileKey(file), file]));
        return keys.map((key) => byKey.get(fileKey(key)) ?? null);
      },
      { cacheKeyFn: fileKey },
    ),
    checkpoint: batchBy(
      (checkpoint) => checkpoint.id,
      (ids) => db.checkpoint.findMany({ where: { id: { in: ids } } }),
    ),
    checkpointPage: new DataLoader(
      async (requests) => {
        // Projects asking for the same page share one statement.
        const answers = new Map<string, CheckpointRecord[]>();
        const groups = new Map<string, PageRequest[]>();
        for (const request of requests) {
          const group = JSON.stringify([request.userId, request.take, request.before?.toString()]);
          groups.set(group, [...(groups.get(group) ?? []), request]);
        }
        for (const group of groups.values()) {
          const projectIds = [...new Set(group.map((request) => request.projectId))].filter(isUuid);
          const pages = projectIds.length ? await loadPages(db, projectIds, group[0]!) : new Map();
          for (const request of group) answers.set(pageKey(request), pages.get(request.projectId) ?? []);
        }
        return requests.map((request) => answers.get(pageKey(request)) ?? []);
      },
      { cacheKeyFn: pageKey },
    ),
    checkpointChanges: batchManyBy(
      (change) => change.checkpointId,
      (checkpointIds) =>
        db.checkpointChange.findMany({
          where: { checkpointId: { in: checkpointIds } },
          include: { blob: true, previousBlob: true },
          relationLoadStrategy: 'join',
          orderBy: [{ checkpointId: 'asc' }, { path: 'asc' }],
        }),
    ),
    // Objects are read one by one; the loader reads each once per request.
    text: new DataLoader(
      (objects) => Promise.all(objects.map(({ key, size }) => readText(storage, key, Number(size), config.textMaxBytes))),
      { cacheKeyFn: (object) => object.key },
    ),
  };
}

const fileKey = ({ projectId, path }: { projectId: string; path: string }) => `${projectId.toLowerCase()}/${path}`;
const pageKey = (request: PageRequest) => JSON.stringify([request.projectId, request.userId, request.take, request.before?.toString()]);

// Reading a project's checkpoints: who may see them, and the newest-first pages of
// Project.checkpoints with their opaque cursors.
import { badUserInput, isUuid, type Identity } from '@builderai/kit';
import type { CheckpointKind } from '../../generated/prisma/client.ts';
import type { Db } from '../db.js';
import type { CheckpointRecord } from './changes.js';

export const DEFAULT_PAGE_SIZE = 20;
export const PAGE_SIZE_MAX = 100;

/** A checkpoint is its user's (the project's owner, for whom the turn or restore was made); admins see every one. */
export const canSeeCheckpoint = (identity: Identity, checkpoint: { userId: string }): boolean =>
  identity.userId === checkpoint.userId || identity.roles.includes('ADMIN');

export async function findVisibleCheckpoint(db: Db, identity: Identity, id: string): Promise<CheckpointRecord | null> {
  const checkpoint = isUuid(id) ? await db.checkpoint.findUnique({ where: { id } }) : null;
  return checkpoint && canSeeCheckpoint(identity, checkpoint) ? checkpoint : null;
}

/** The number of checkpoints a page holds; BAD_USER_INPUT outside 0 to 100. */
export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 0 || first > PAGE_SIZE_MAX) throw badUserInput(`first must be between 0 and ${PAGE_SIZE_MAX}`, 'first');
  return first;
}

// A cursor is a checkpoint's position: pages stay right while newer checkpoints are added.
const CURSOR = /^checkpoint:(\d{1,19})$/;

export const encodeCursor = (checkpoint: { position: bigint }): string => Buffer.from(`checkpoint:${checkpoint.position}`).toString('base64url');

/** The position after which (older than which) a page starts; BAD_USER_INPUT for anything but a cursor of this list. */
export function decodeCursor(cursor: string): bigint {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || BigInt(match[1]!) > 2n ** 63n - 1n) throw badUserInput('after is not a cursor of this list', 'after');
  return BigInt(match[1]!);
}

export interface PageRequest {
  projectId: string;
  /** Checkpoints of this user only; undefined for an admin (all of them). */
  userId?: string;
  /** How many to load: the page and one more, to tell whether there is a next page. */
  take: number;
  before?: bigint;
}

interface CheckpointRow {
  id: string;
  project_id: string;
  user_id: string;
  kind: CheckpointKind;
  message_id: string | null;
  restored_from_id: string | null;
  position: bigint;
  created_at: Date;
}

/**
 * The newest `take` checkpoints of each project (older than `before`, of `userId`), in one
 * statement for all the projects of one request asking the same page.
 */
export async function loadPages(db: Db, projectIds: string[], { userId, take, before }: Omit<PageRequest, 'projectId'>): Promise<Map<string, CheckpointRecord[]>> {
  const rows = await db.$queryRawUnsafe<CheckpointRow[]>(
    `SELECT id::text, project_id::text, user_id::text, kind::text, message_id::text, restored_from_id::text, position, created_at FROM (
       SELECT c.*, row_number() OVER (PARTITION BY c.project_id ORDER BY c.position DESC) AS n FROM checkpoints c
       WHERE c.project_id = ANY($1::uuid[]) AND ($2::bigint IS NULL OR c.position < $2::bigint) AND ($3::uuid IS NULL OR c.user_id = $3::uuid)
     ) ranked WHERE n <= $4::int ORDER BY project_id, position DESC`,
    projectIds,
    before ?? null,
    userId ?? null,
    take,
  );
  const pages = new Map<string, CheckpointRecord[]>(projectIds.map((id) => [id, []]));
  for (const row of rows) {
    pages.get(row.project_id)?.push({
      id: row.id,
      projectId: row.project_id,
      userId: row.user_id,
      kind: row.kind,
      messageId: row.message_id,
      restoredFromId: row.restored_from_id,
      position: BigInt(row.position),
      createdAt: row.created_at,
    });
  }
  return pages;
}

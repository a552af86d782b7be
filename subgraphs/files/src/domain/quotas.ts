// Storage quotas: how many bytes each user's files take (used), how many uploads in progress
// hold (reserved), and the user's allowance (total). Every change is one conditional UPDATE,
// so concurrent uploads can never pass the total together.
import { quotaExceeded } from '@builderai/kit';
import type { StorageQuota } from '../generated/prisma/client.ts';
import type { Tx } from './db.js';

export interface StorageUsage {
  used: number;
  total: number;
  remaining: number;
}

const ensureRow = (tx: Tx, userId: string) =>
  tx.$executeRawUnsafe(`INSERT INTO storage_quotas (user_id) VALUES ($1::uuid) ON CONFLICT (user_id) DO NOTHING`, userId);

/** A count of bytes as Prisma gives it (BIGINT columns are bigint) or as a client sent it. */
export type Bytes = number | bigint;

/**
 * Holds `size` bytes for an upload, or refuses with QUOTA_EXCEEDED when used + reserved +
 * size would pass the total. `defaultTotal` applies to users without a total of their own.
 */
export async function reserveSpace(tx: Tx, userId: string, size: Bytes, defaultTotal: number): Promise<void> {
  await ensureRow(tx, userId);
  const reserved = await tx.$executeRawUnsafe(
    `UPDATE storage_quotas SET reserved_space = reserved_space + $2::bigint, updated_at = now()
     WHERE user_id = $1::uuid AND used_space + reserved_space + $2::bigint <= COALESCE(total_space, $3::bigint)`,
    userId,
    size,
    defaultTotal,
  );
  if (reserved === 0) throw quotaExceeded(`This upload of ${size} bytes would pass your storage quota`);
}

/** Gives back the space an upload held (it failed, expired or was cancelled). */
export async function releaseSpace(tx: Tx, userId: string, size: Bytes): Promise<void> {
  await tx.$executeRawUnsafe(
    `UPDATE storage_quotas SET reserved_space = GREATEST(reserved_space - $2::bigint, 0), updated_at = now() WHERE user_id = $1::uuid`,
    userId,
    size,
  );
}

/** An upload became a file: its reservation turns into used space. */
export async function settleSpace(tx: Tx, userId: string, size: Bytes): Promise<void> {
  await tx.$executeRawUnsafe(
    `UPDATE storage_quotas SET reserved_space = GREATEST(reserved_space - $2::bigint, 0), used_space = used_space + $2::bigint, updated_at = now()
     WHERE user_id = $1::uuid`,
    userId,
    size,
  );
}

/** A file was deleted: its space is free again. */
export async function freeSpace(tx: Tx, userId: string, size: Bytes): Promise<void> {
  await tx.$executeRawUnsafe(
    `UPDATE storage_quotas SET used_space = GREATEST(used_space - $2::bigint, 0), updated_at = now() WHERE user_id = $1::uuid`,
    userId,
    size,
  );
}

/** Counts a file that did not go through an upload (a copy); false, and nothing counted, when it does not fit. */
export async function chargeSpace(tx: Tx, userId: string, size: Bytes, defaultTotal: number): Promise<boolean> {
  await ensureRow(tx, userId);
  const charged = await tx.$executeRawUnsafe(
    `UPDATE storage_quotas SET used_space = used_space + $2::bigint, updated_at = now()
     WHERE user_id = $1::uuid AND used_space + reserved_space + $2::bigint <= COALESCE(total_space, $3::bigint)`,
    userId,
    size,
    defaultTotal,
  );
  return charged === 1;
}

/** What a user sees of their quota; a user without a row has stored nothing yet. */
export function storageUsage(quota: StorageQuota | null, defaultTotal: number): StorageUsage {
  const used = Number(quota?.usedSpace ?? 0n);
  const reserved = Number(quota?.reservedSpace ?? 0n);
  const total = Number(quota?.totalSpace ?? defaultTotal);
  return { used, total, remaining: Math.max(total - used - reserved, 0) };
}

// Content stored once per user: a blob is the bytes of one SHA-256 for one user, however many
// files, checkpoint manifests and checkpoint changes point at it. Creating a blob charges its
// size to the user; collection (blob-collection.ts) frees it when nothing points at it.
import type { Blob } from '../generated/prisma/client.ts';
import type { Tx } from './db.js';
import { cancelDeletion } from './object-deletions.js';

export type BlobRecord = Blob;

/** Bytes by their hash, as a writer knows them. */
export interface Content {
  sha256: string;
  size: number | bigint;
}

/** An object already stored for a blob that may not exist yet; its deletion is scheduled until a row claims it. */
export interface Candidate {
  id?: string;
  key: string;
}

export type BlobOutcome = { blob: BlobRecord; created: boolean } | 'no-space' | 'missing';

/**
 * The user's blob of `content`, made from `candidate` when there is none yet. The caller holds
 * the user's blob lock shared (locks.ts), so a blob found here stays until its reference
 * commits. `pay` counts a new blob against the quota; when it refuses, nothing is made
 * ('no-space'). 'missing': there is no blob and no candidate to make one from.
 */
export async function blobFor(tx: Tx, userId: string, content: Content, candidate: Candidate | undefined, pay: () => Promise<boolean>): Promise<BlobOutcome> {
  const existing = await findBlob(tx, userId, content.sha256);
  if (existing) return { blob: existing, created: false };
  if (!candidate) return 'missing';
  // A concurrent writer of the same bytes makes the insert wait for its outcome, then skip.
  const { count } = await tx.blob.createMany({
    data: [{ ...(candidate.id && { id: candidate.id }), userId, sha256: content.sha256, size: BigInt(content.size), key: candidate.key }],
    skipDuplicates: true,
  });
  const blob = await findBlob(tx, userId, content.sha256);
  if (!blob) throw new Error(`blob ${content.sha256} of ${userId} vanished while it was being made`);
  if (count === 0) return { blob, created: false };
  if (!(await pay())) {
    await tx.blob.delete({ where: { id: blob.id } });
    return 'no-space';
  }
  await cancelDeletion(tx, [candidate.key]);
  return { blob, created: true };
}

export const findBlob = (tx: Tx, userId: string, sha256: string) => tx.blob.findUnique({ where: { userId_sha256: { userId, sha256 } } });

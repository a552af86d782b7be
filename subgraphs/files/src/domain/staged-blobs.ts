// New content written through the service (texts): its objects are stored before the
// transaction that makes their blobs, each scheduled for deletion until a blob row claims it
// (like duplication's copies), so a failure or a lost race leaves no stray bytes.
import { randomUUID } from 'node:crypto';
import { quotaExceeded } from '@builderai/kit';
import type { FilesDeps } from '../deps.js';
import { blobFor, type BlobRecord, type Candidate, type Content } from './blobs.js';
import type { Tx } from './db.js';
import { blobObjectKey } from './object-keys.js';
import { deleteObjectsNow, scheduleDeletion } from './object-deletions.js';
import { chargeSpace } from './quotas.js';

export interface NewContent extends Content {
  size: number;
  bytes: Buffer;
}

// An object no row claimed (the process died between storing it and the transaction) goes
// after this long.
const UNCLAIMED_MS = 60 * 60 * 1000;
// A blob found before the transaction may be collected before it; the write is then tried
// again with the content stored anew.
const ATTEMPTS = 3;
const PARALLEL_PUTS = 8;

/** A blob that was there when the contents were staged has been collected since. */
class BlobCollectedMeanwhile extends Error {}

/** The blobs of one attempt's transaction: existing ones, or made from the staged objects and charged. */
export class StagedBlobs {
  readonly claimed = new Set<string>();

  constructor(
    private readonly userId: string,
    private readonly candidates: Map<string, Candidate>,
    private readonly quotaBytes: number,
  ) {}

  /** The user's blob of the content; QUOTA_EXCEEDED when it has to be made and does not fit. Hold shareUserBlobs. */
  async blob(tx: Tx, content: Content): Promise<BlobRecord> {
    const pay = () => chargeSpace(tx, this.userId, content.size, this.quotaBytes);
    const outcome = await blobFor(tx, this.userId, content, this.candidates.get(content.sha256), pay);
    if (outcome === 'missing') throw new BlobCollectedMeanwhile();
    if (outcome === 'no-space') throw quotaExceeded(`Storing ${content.size} more bytes would pass your storage quota`);
    if (outcome.created) this.claimed.add(outcome.blob.key);
    return outcome.blob;
  }
}

/**
 * Stores the contents the user has no blob of, then runs `write` (one transaction using
 * `blobs.blob`); deletes the stored objects no blob claimed, whatever the outcome.
 */
export async function withStagedBlobs<T>(deps: FilesDeps, userId: string, contents: NewContent[], write: (blobs: StagedBlobs) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const candidates = await stage(deps, userId, contents);
    const blobs = new StagedBlobs(userId, candidates, deps.config.quotaBytes);
    const keys = [...candidates.values()].map((candidate) => candidate.key);
    try {
      const result = await write(blobs);
      await deleteObjectsNow(deps.db, deps.storage, deps.logger, keys.filter((key) => !blobs.claimed.has(key)));
      return result;
    } catch (error) {
      await deleteObjectsNow(deps.db, deps.storage, deps.logger, keys);
      if (!(error instanceof BlobCollectedMeanwhile) || attempt === ATTEMPTS) throw error;
    }
  }
}

async function stage(deps: FilesDeps, userId: string, contents: NewContent[]): Promise<Map<string, Candidate>> {
  const bySha = new Map(contents.map((content) => [content.sha256, content]));
  const known = await deps.db.blob.findMany({ where: { userId, sha256: { in: [...bySha.keys()] } }, select: { sha256: true } });
  for (const { sha256 } of known) bySha.delete(sha256);
  const candidates = new Map<string, Candidate>();
  for (const sha256 of bySha.keys()) {
    const id = randomUUID();
    candidates.set(sha256, { id, key: blobObjectKey(userId, id) });
  }
  const keys = [...candidates.values()].map((candidate) => candidate.key);
  await scheduleDeletion(deps.db, keys, new Date(Date.now() + UNCLAIMED_MS));
  const queue = [...candidates];
  const putNext = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) await deps.storage.put(next[1].key, bySha.get(next[0])!.bytes);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PUTS, queue.length) }, putNext));
  return candidates;
}

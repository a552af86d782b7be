// Transaction-scoped advisory locks. Every write to one project's files holds the project's
// lock, so such writes run one after another and positions follow their commit order. Every
// transaction that adds a reference to a user's blobs holds that user's blob lock shared;
// collecting the user's blobs holds it exclusively, so a blob is never deleted between a
// writer finding it and the writer's reference committing. Order: project, then blobs.
import { createHash } from 'node:crypto';
import type { Tx } from './db.js';

// A 64-bit key per (namespace, id): the first 8 bytes of a SHA-256, as Postgres' bigint.
const keyOf = (namespace: string, id: string): bigint => createHash('sha256').update(`files.${namespace}:${id}`).digest().readBigInt64BE(0);

/** Options for transactions that may wait for a project's lock behind other writes to it. */
export const LOCKING_TRANSACTION = { maxWait: 10_000, timeout: 60_000 };

/** Holds the project's files for this transaction: other writes to them wait until it ends. */
export async function lockProject(tx: Tx, projectId: string): Promise<void> {
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1::bigint)', keyOf('project', projectId));
}

/** Keeps the users' blobs from being collected until this transaction ends (for adding references to them). */
export async function shareUserBlobs(tx: Tx, userIds: Iterable<string>): Promise<void> {
  // In one order, so two writers never wait for each other behind a collector.
  for (const userId of [...new Set(userIds)].sort()) {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock_shared($1::bigint)', keyOf('blobs', userId));
  }
}

/** Waits until no transaction adds references to the user's blobs, and keeps them from doing so (collection). */
export async function lockUserBlobs(tx: Tx, userId: string): Promise<void> {
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1::bigint)', keyOf('blobs', userId));
}

// The user's own changes to a project's READY files (writeFile, a completed upload, deleteFile)
// are not checkpoints, but a restore must not overwrite them unasked: each is logged with a
// position from the sequence checkpoints take theirs from, in the project-locked transaction
// that makes it.
import type { FileChangeAction } from '../generated/prisma/client.ts';
import type { Tx } from './db.js';

/** The next position of the sequence checkpoints and user changes share; in the project's locked transaction. */
export async function nextPosition(tx: Tx): Promise<bigint> {
  const [{ position }] = await tx.$queryRawUnsafe<Array<{ position: bigint }>>(`SELECT nextval('file_change_positions') AS position`);
  return BigInt(position);
}

export async function logUserChange(tx: Tx, projectId: string, path: string, action: FileChangeAction): Promise<void> {
  await tx.userFileChange.create({ data: { projectId, path, action, position: await nextPosition(tx) } });
}


// writeFile: the user's own save of a text file (an editor's), creating or replacing the READY
// file at a path at once. Not a checkpoint: it is logged as the user's change, so a later
// restore names it as a conflict instead of overwriting it unasked.
import { conflict, type Identity } from '@builderai/kit';
import type { FilesDeps } from '../deps.js';
import type { FileRecord } from './file-record.js';
import { afterRemovals, removeFile, type Removal } from './files.js';
import { LOCKING_TRANSACTION, lockProject, shareUserBlobs } from './locks.js';
import { createReadyFile, sameContent } from './ready-files.js';
import { withStagedBlobs } from './staged-blobs.js';
import { checkTextFile } from './text-files.js';
import { logUserChange } from './user-changes.js';

export interface WriteFileInput {
  projectId: string;
  path: string;
  text: string;
  ifChecksum?: string | null;
}

/** The checksum a file must have for `ifChecksum` ("" for none), or undefined when not asked. */
export const expectedChecksum = (ifChecksum: string | null | undefined): string | undefined => (ifChecksum == null ? undefined : ifChecksum.trim().toLowerCase());

/** Whether the file is at the version the writer expects ("" = no file). */
export const isAtVersion = (file: FileRecord | undefined, expected: string | undefined): boolean =>
  expected === undefined || (file?.metadata?.checksum ?? '') === expected;

/**
 * Writes the text at the path of one of the user's projects; returns the READY file (the
 * existing one when the text and type are the same). CONFLICT when the file is not at
 * `ifChecksum`; QUOTA_EXCEEDED when new content does not fit.
 */
export async function writeFile(deps: FilesDeps, identity: Identity & { userId: string }, input: WriteFileInput, requestId?: string): Promise<FileRecord> {
  const text = checkTextFile(input.path, input.text, deps.config.textMaxBytes, 'path');
  const expected = expectedChecksum(input.ifChecksum);
  await deps.projectAccess.assertCanUse(identity, input.projectId, requestId);
  const { userId } = identity;
  const { projectId } = input;

  const { file, replaced } = await withStagedBlobs(deps, userId, [text], (blobs) =>
    deps.db.$transaction(async (tx): Promise<{ file: FileRecord; replaced?: Removal }> => {
      await lockProject(tx, projectId);
      const current = await tx.file.findUnique({ where: { projectId_path_status: { projectId, path: text.path, status: 'READY' } }, include: { metadata: true } });
      if (!isAtVersion(current ?? undefined, expected)) throw conflict(`${text.path} has changed since the version this edit was made on`, 'ifChecksum');
      if (current && sameContent(current, text.sha256, text.type)) return { file: current };
      await shareUserBlobs(tx, [userId]);
      const blob = await blobs.blob(tx, text);
      const replaced = current ? await removeFile(tx, current, ['READY']) : undefined;
      const file = await createReadyFile(tx, deps.storage, { projectId, path: text.path, type: text.type, blob });
      await logUserChange(tx, projectId, text.path, current ? 'MODIFIED' : 'ADDED');
      return { file, replaced };
    }, LOCKING_TRANSACTION),
  );
  await afterRemovals(deps, ...(replaced ? [replaced] : []));
  return file;
}

// commitTurn: the files one AI answer changed, applied as one checkpoint. Only the chat service,
// acting for a user who may use the project, commits; every change's expected version is
// checked before anything is written, and all of them apply or none. A retried commit of the
// same answer (message) finds its checkpoint instead of applying twice.
import { appError, badUserInput, ErrorCode, forbidden, isUuid, type Identity } from '@builderai/kit';
import type { FilesDeps } from '../../deps.js';
import type { Db } from '../db.js';
import { afterRemovals, type Removal } from '../files.js';
import { LOCKING_TRANSACTION, lockProject, shareUserBlobs } from '../locks.js';
import { readyFilesByPath, sameContent } from '../ready-files.js';
import { withStagedBlobs } from '../staged-blobs.js';
import { checkPath, checkTextFile, type TextFile } from '../text-files.js';
import { expectedChecksum, isAtVersion } from '../write-file.js';
import { applyChanges, recordCheckpoint, type CheckpointRecord, type PlannedChange } from './changes.js';

export const MAX_TURN_CHANGES = 200;

export interface TurnInput {
  projectId: string;
  messageId: string;
  changes: Array<{ path: string; text?: string | null; ifChecksum?: string | null }>;
}

interface TurnChange {
  path: string;
  /** Undefined: the file is deleted. */
  text?: TextFile;
  expected?: string;
}

const NOTHING: Removal = { keys: [], blobIds: [], ready: false };

/**
 * Applies the turn's changes as one AI_TURN checkpoint; null when they leave every file as it
 * was. FORBIDDEN unless the chat service acts for the user; BAD_USER_INPUT for bad changes;
 * CONFLICT (naming the paths) when a file is not at the version a change expects.
 */
export async function commitTurn(deps: FilesDeps, identity: Identity, input: TurnInput, requestId?: string): Promise<CheckpointRecord | null> {
  const userId = identity.userId;
  if (identity.actingService !== 'chat' || !userId) throw forbidden('Only the chat service commits the turns of an AI answer');
  if (!isUuid(input.messageId)) throw badUserInput('messageId must be the id of a chat message', 'messageId');
  const changes = checkChanges(input.changes, deps.config.textMaxBytes);
  const { projectId, messageId } = input;
  await deps.projectAccess.assertCanUse(identity, projectId, requestId);
  const done = await findTurn(deps.db, projectId, messageId);
  if (done) return done;

  const texts = changes.flatMap((change) => (change.text ? [change.text] : []));
  const { checkpoint, removal } = await withStagedBlobs(deps, userId, texts, (blobs) =>
    deps.db.$transaction(async (tx) => {
      await lockProject(tx, projectId);
      const retried = await findTurn(tx, projectId, messageId);
      if (retried) return { checkpoint: retried, removal: NOTHING };

      const current = await readyFilesByPath(tx, projectId, changes.map((change) => change.path));
      const stale = changes.filter((change) => !isAtVersion(current.get(change.path), change.expected)).map((change) => change.path);
      if (stale.length > 0) {
        throw appError(ErrorCode.CONFLICT, `Changed since this turn read them: ${stale.join(', ')}`, { field: 'changes', paths: stale });
      }
      const effective = changes.filter((change) => !sameContent(current.get(change.path), change.text?.sha256, change.text?.type));
      if (effective.length === 0) return { checkpoint: null, removal: NOTHING };

      await shareUserBlobs(tx, [userId]);
      const planned: PlannedChange[] = [];
      for (const { path, text } of effective) {
        planned.push({ path, before: current.get(path), after: text && { blob: await blobs.blob(tx, text), type: text.type } });
      }
      const removal = await applyChanges(tx, deps.storage, projectId, planned);
      const checkpoint = await recordCheckpoint(tx, { projectId, userId, kind: 'AI_TURN', messageId, changes: planned });
      return { checkpoint, removal };
    }, LOCKING_TRANSACTION),
  );
  await afterRemovals(deps, removal);
  return checkpoint;
}

const findTurn = (db: Pick<Db, 'checkpoint'>, projectId: string, messageId: string) =>
  db.checkpoint.findUnique({ where: { projectId_messageId: { projectId, messageId } } });

/** The changes, checked and normalised; BAD_USER_INPUT on `changes` naming the first bad one. */
function checkChanges(changes: TurnInput['changes'], textMaxBytes: number): TurnChange[] {
  if (changes.length > MAX_TURN_CHANGES) throw badUserInput(`A turn may change at most ${MAX_TURN_CHANGES} files (this one has ${changes.length})`, 'changes');
  const seen = new Set<string>();
  return changes.map((change, index) => {
    const what = `changes[${index}].path ${JSON.stringify(change.path)}`;
    const text = change.text == null ? undefined : checkTextFile(change.path, change.text, textMaxBytes, 'changes', what);
    const path = text?.path ?? checkPath(change.path, 'changes', what).path;
    if (seen.has(path)) throw badUserInput(`${path} is changed more than once; a turn changes each path at most once`, 'changes');
    seen.add(path);
    return { path, text, expected: expectedChecksum(change.ifChecksum) };
  });
}

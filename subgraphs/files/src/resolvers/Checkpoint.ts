import type { FilesContext } from '../context.js';
import type { CheckpointRecord } from '../domain/checkpoints/changes.js';
import { canSeeCheckpoint } from '../domain/checkpoints/history.js';
import type { CheckpointResolvers } from '../generated/graphql.js';

// Batched per request; someone else's checkpoint resolves to null, like an unknown one.
const visible = async (id: string, ctx: FilesContext): Promise<CheckpointRecord | null> => {
  const checkpoint = await ctx.loaders.checkpoint.load(id);
  return checkpoint && canSeeCheckpoint(ctx.identity, checkpoint) ? checkpoint : null;
};

export const Checkpoint: CheckpointResolvers = {
  __resolveReference: ({ id }, ctx: FilesContext) => visible(id, ctx),

  project: (checkpoint) => ({ id: checkpoint.projectId }),

  restoredFrom: (checkpoint, _, ctx) => (checkpoint.restoredFromId ? visible(checkpoint.restoredFromId, ctx) : null),

  changes: (checkpoint, _, ctx) => ctx.loaders.checkpointChanges.load(checkpoint.id),
};

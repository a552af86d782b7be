import { requireUser } from '@builderai/kit';
import { commitTurn } from '../domain/checkpoints/commit-turn.js';
import { restoreCheckpoint } from '../domain/checkpoints/restore.js';
import { deleteFile } from '../domain/files.js';
import { completeUpload, createUpload } from '../domain/uploads.js';
import { writeFile } from '../domain/write-file.js';
import type { MutationResolvers } from '../generated/graphql.js';

export const Mutation: MutationResolvers = {
  createUpload: (_, { input }, ctx) => {
    const userId = requireUser(ctx);
    return createUpload(ctx.files, { ...ctx.identity, userId }, input, ctx.requestId);
  },

  completeUpload: async (_, { id }, ctx) => {
    requireUser(ctx);
    const file = await completeUpload(ctx.files, ctx.identity, id);
    // The answer shows the file as just written, even if this request loaded it before.
    ctx.loaders.file.clear(file.id).prime(file.id, file);
    return file;
  },

  deleteFile: async (_, { id }, ctx) => {
    requireUser(ctx);
    await deleteFile(ctx.files, ctx.identity, id);
    ctx.loaders.file.clear(id);
    return true;
  },

  writeFile: async (_, { input }, ctx) => {
    const userId = requireUser(ctx);
    const file = await writeFile(ctx.files, { ...ctx.identity, userId }, input, ctx.requestId);
    ctx.loaders.file.clear(file.id).prime(file.id, file);
    return file;
  },

  commitTurn: (_, { input }, ctx) => commitTurn(ctx.files, ctx.identity, input, ctx.requestId),

  restoreCheckpoint: (_, { projectId, checkpointId, force }, ctx) => {
    const userId = requireUser(ctx);
    return restoreCheckpoint(ctx.files, { ...ctx.identity, userId }, { projectId, checkpointId, force }, ctx.requestId);
  },
};

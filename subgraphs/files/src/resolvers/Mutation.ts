import { requireUser } from '@builderai/kit';
import { deleteFile } from '../domain/files.js';
import { completeUpload, createUpload } from '../domain/uploads.js';
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
};

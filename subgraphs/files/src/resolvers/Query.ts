import { canSeeFile } from '../domain/files.js';
import type { QueryResolvers } from '../generated/graphql.js';

export const Query: QueryResolvers = {
  file: async (_, { id }, ctx) => {
    const file = await ctx.loaders.file.load(id);
    return file && canSeeFile(ctx.identity, file) ? file : null;
  },
};

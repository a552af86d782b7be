import { requireUser } from '@builderai/kit';
import { readable } from '../domain/access.js';
import type { QueryResolvers } from '../generated/graphql.js';

export const Query: QueryResolvers = {
  // Someone else's project is NOT_FOUND, exactly like one that does not exist.
  project: async (_, { id }, ctx) => {
    requireUser(ctx);
    return readable(ctx.viewer, await ctx.loaders.project.load(id));
  },
};

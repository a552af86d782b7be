import type { QueryResolvers } from '../generated/graphql.js';
import { isUuid, canRead } from '@builderai/kit';

export const Query: QueryResolvers = {
  mcpServer: async (_, { id }, ctx) => {
    const server = isUuid(id) ? await ctx.db.mcpServer.findUnique({ where: { id } }) : null;
    return server && canRead(ctx.viewer, server.userId) ? server : null;
  },
};

import { canRead } from '@builderai/kit';
import type { UserResolvers } from '../generated/graphql.js';

export const User: UserResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  mcpServers: ({ id }, _, ctx) => (canRead(ctx.viewer, id) ? ctx.loaders.serversOfUser.load(id) : []),
};

import { canRead, type EntityRef } from '@builderai/kit';
import { branchPage } from '../domain/branches.js';
import type { ConversationResolvers } from '../generated/graphql.js';

export const Conversation: ConversationResolvers = {
  // The router asks for conversations chat itself returned; the owner check here is a second line.
  __resolveReference: async ({ id }, ctx) => {
    const conversation = await ctx.loaders.conversation.load(id);
    return conversation && canRead(ctx.viewer, conversation.userId) ? conversation : null;
  },
  project: ({ projectId }): EntityRef => ({ id: projectId }),
  owner: ({ userId }): EntityRef => ({ id: userId }),
  messages: (conversation, { first, after }, ctx) => branchPage(ctx.db, conversation, first, after),
};

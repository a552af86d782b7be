import type { MessageStreamEventResolvers } from '../generated/graphql.js';

export const MessageStreamEvent: MessageStreamEventResolvers = {
  // Read fresh for each event (a subscription's loaders would keep the first answer they saw).
  message: async ({ messageId }, _, ctx) => (await ctx.db.message.findUnique({ where: { id: messageId } }))!,
};

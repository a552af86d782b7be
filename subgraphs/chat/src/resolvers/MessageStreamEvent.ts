import type { MessageStreamEventResolvers } from '../generated/graphql.js';
import { toolCallView } from '../domain/tool-calls.js';

export const MessageStreamEvent: MessageStreamEventResolvers = {
  // Read fresh for each event (a subscription's loaders would keep the first answer they saw).
  message: async ({ messageId }, _, ctx) => (await ctx.db.message.findUnique({ where: { id: messageId } }))!,
  // A call that ended is read as stored (its result); one still running is as its event told it.
  toolCall: async ({ toolCall }, _, ctx) => {
    if (!toolCall || 'name' in toolCall) return toolCall;
    const stored = await ctx.db.toolCall.findUnique({ where: { id: toolCall.id } });
    return stored && toolCallView(stored);
  },
};

import { canRead, type EntityRef } from '@builderai/kit';
import type { MessageMetadata, MessageResolvers } from '../generated/graphql.js';
import { toolCallView } from '../domain/tool-calls.js';

export const Message: MessageResolvers = {
  __resolveReference: async ({ id }, ctx) => {
    const message = await ctx.loaders.message.load(id);
    const conversation = message && (await ctx.loaders.conversation.load(message.conversationId));
    return conversation && canRead(ctx.viewer, conversation.userId) ? message : null;
  },
  conversation: async ({ conversationId }, _, ctx) => (await ctx.loaders.conversation.load(conversationId))!,
  author: ({ authorId }): EntityRef | null => (authorId ? { id: authorId } : null),
  metadata: ({ metadata }) => (metadata as MessageMetadata | null) ?? null,
  parent: ({ parentId }, _, ctx) => (parentId ? ctx.loaders.message.load(parentId) : null),
  siblings: async ({ id, parentId, conversationId }, _, ctx) => {
    const versions = parentId ? await ctx.loaders.children.load(parentId) : await ctx.loaders.roots.load(conversationId);
    return versions.filter((version) => version.id !== id);
  },
  toolCalls: async ({ id, sender }, _, ctx) => (sender === 'ASSISTANT' ? (await ctx.loaders.toolCalls.load(id)).map(toolCallView) : []),
  checkpoint: ({ metadata }): EntityRef | null => {
    const checkpointId = (metadata as { checkpointId?: string } | null)?.checkpointId;
    return checkpointId ? { id: checkpointId } : null;
  },
};

import { requireUser } from '@builderai/kit';
import { selectBranch } from '../domain/branches.js';
import { editMessage, regenerateMessage, sendMessage } from '../domain/turns.js';
import { stopGeneration } from '../domain/stopping.js';
import { answerToolCall } from '../domain/approvals.js';
import { createConversation, deleteConversation, renameConversation } from '../domain/conversations.js';
import type { MutationResolvers } from '../generated/graphql.js';

export const Mutation: MutationResolvers = {
  createConversation: (_, { input }, ctx) => createConversation(ctx.app, ctx.identity, requireUser(ctx).toLowerCase(), input, ctx.requestId),
  renameConversation: (_, { id, title }, ctx) => {
    requireUser(ctx);
    return renameConversation(ctx.db, ctx.viewer, id, title);
  },
  deleteConversation: (_, { id }, ctx) => {
    requireUser(ctx);
    return deleteConversation(ctx.db, ctx.viewer, id);
  },
  sendMessage: (_, { input }, ctx) => {
    requireUser(ctx);
    return sendMessage(ctx.app, ctx.identity, ctx.viewer, input, ctx.requestId);
  },
  editMessage: (_, { id, content }, ctx) => {
    requireUser(ctx);
    return editMessage(ctx.app, ctx.identity, ctx.viewer, id, content, ctx.requestId);
  },
  regenerateMessage: (_, { id }, ctx) => {
    requireUser(ctx);
    return regenerateMessage(ctx.app, ctx.identity, ctx.viewer, id, ctx.requestId);
  },
  stopGeneration: (_, { messageId }, ctx) => {
    requireUser(ctx);
    return stopGeneration({ db: ctx.db, store: ctx.app.infra.store, pubsub: ctx.app.infra.pubsub }, ctx.viewer, messageId);
  },
  approveToolCall: (_, { messageId, toolCallId }, ctx) => {
    requireUser(ctx);
    return answerToolCall({ db: ctx.db, store: ctx.app.infra.store, pubsub: ctx.app.infra.pubsub }, ctx.viewer, messageId, toolCallId, true);
  },
  rejectToolCall: (_, { messageId, toolCallId }, ctx) => {
    requireUser(ctx);
    return answerToolCall({ db: ctx.db, store: ctx.app.infra.store, pubsub: ctx.app.infra.pubsub }, ctx.viewer, messageId, toolCallId, false);
  },
  selectBranch: (_, { messageId }, ctx) => {
    requireUser(ctx);
    return selectBranch(ctx.db, ctx.viewer, messageId);
  },
};

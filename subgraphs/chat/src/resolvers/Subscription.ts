import { requireUser } from '@builderai/kit';
import { followConversation, type StreamEvent } from '../domain/message-stream.js';
import type { SubscriptionResolvers } from '../generated/graphql.js';

export const Subscription: SubscriptionResolvers = {
  messageStream: {
    subscribe: async (_, { conversationId, after }, ctx) => {
      requireUser(ctx);
      return followConversation({ db: ctx.db, streams: ctx.app.infra.streams }, ctx.viewer, conversationId, after) as never;
    },
    resolve: (event: StreamEvent) => event as never,
  },
};

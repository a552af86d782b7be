import { requireUser } from '@builderai/kit';
import { readableConversation } from '../domain/conversations.js';
import { endpointOf } from '../domain/models.js';
import type { QueryResolvers } from '../generated/graphql.js';

export const Query: QueryResolvers = {
  // Someone else's conversation is NOT_FOUND, exactly like one that does not exist.
  conversation: (_, { id }, ctx) => {
    requireUser(ctx);
    return readableConversation(ctx.db, ctx.viewer, id);
  },
  models: (_, __, { app: { config } }) =>
    config.models.map((spec) => ({ ...spec, available: !('missing' in endpointOf(spec, config.providers)) })),
};

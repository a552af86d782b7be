import type { EntityRef } from '@builderai/kit';
import { projectConversations } from '../domain/conversations.js';
import type { ProjectResolvers } from '../generated/graphql.js';

export const Project: ProjectResolvers = {
  // The projects service decides whether the project exists; chat only adds to it.
  __resolveReference: ({ id }): EntityRef => ({ id }),
  conversations: ({ id }, { first, after }, ctx) => projectConversations(ctx.db, ctx.viewer, id, first, after),
};

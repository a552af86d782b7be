import { hasRole } from '@builderai/kit';
import type { UsersContext } from '../context.js';
import type { EntityRef } from '@builderai/kit';
import type { UserResolvers } from '../generated/graphql.js';


// Settings and stats are private to the user and to admins.
const canSeePrivate = (ctx: UsersContext, userId: string) => ctx.identity.userId === userId || hasRole(ctx, 'ADMIN');

export const User: UserResolvers = {
  // The profile's existence decides whether this subgraph knows the user; batched per request.
  __resolveReference: async ({ id }, ctx): Promise<EntityRef | null> =>
    (await ctx.loaders.profile.load(id)) ? { id } : null,

  profile: ({ id }, _, ctx) => ctx.loaders.profile.load(id),

  settings: ({ id }, _, ctx) => (canSeePrivate(ctx, id) ? ctx.loaders.settings.load(id) : null),

  stats: ({ id }, _, ctx) => (canSeePrivate(ctx, id) ? ctx.loaders.stats.load(id) : null),
};

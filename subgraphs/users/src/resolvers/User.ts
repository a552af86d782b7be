import { hasRole } from '@builderai/kit';
import type { UsersContext } from '../context.js';

/** A User as resolvers pass it around: the key, with fields loaded on demand. */
export interface UserRef {
  id: string;
}

// Settings and stats are private to the user and to admins.
const canSeePrivate = (ctx: UsersContext, userId: string) => ctx.identity.userId === userId || hasRole(ctx, 'ADMIN');

export const User = {
  // The profile's existence decides whether this subgraph knows the user; batched per request.
  __resolveReference: async ({ id }: UserRef, ctx: UsersContext): Promise<UserRef | null> =>
    (await ctx.loaders.profile.load(id)) ? { id } : null,

  profile: ({ id }: UserRef, _: unknown, ctx: UsersContext) => ctx.loaders.profile.load(id),

  settings: ({ id }: UserRef, _: unknown, ctx: UsersContext) => (canSeePrivate(ctx, id) ? ctx.loaders.settings.load(id) : null),

  stats: ({ id }: UserRef, _: unknown, ctx: UsersContext) => (canSeePrivate(ctx, id) ? ctx.loaders.stats.load(id) : null),
};

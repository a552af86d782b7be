import type { UsersContext } from '../context.js';
import { normalizeUsername, usernameProblem } from '../domain/profiles.js';
import type { UserRef } from './User.js';

export const Query = {
  me: (_: unknown, __: unknown, ctx: UsersContext): UserRef | null => (ctx.identity.userId ? { id: ctx.identity.userId } : null),

  user: async (_: unknown, { id }: { id: string }, ctx: UsersContext): Promise<UserRef | null> =>
    (await ctx.loaders.profile.load(id)) ? { id } : null,

  userByUsername: async (_: unknown, { username }: { username: string }, ctx: UsersContext): Promise<UserRef | null> => {
    const normalized = normalizeUsername(username);
    if (usernameProblem(normalized)) return null;
    const profile = await ctx.prisma.profile.findUnique({ where: { username: normalized } });
    if (!profile) return null;
    ctx.loaders.profile.prime(profile.userId, profile);
    return { id: profile.userId };
  },
};

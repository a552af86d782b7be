import { normalizeUsername, usernameProblem } from '../domain/profiles.js';
import type { QueryResolvers } from '../generated/graphql.js';

export const Query: QueryResolvers = {
  me: (_, __, ctx) => (ctx.identity.userId ? { id: ctx.identity.userId } : null),

  user: async (_, { id }, ctx) =>
    (await ctx.loaders.profile.load(id)) ? { id } : null,

  userByUsername: async (_, { username }, ctx) => {
    const normalized = normalizeUsername(username);
    if (usernameProblem(normalized)) return null;
    const profile = await ctx.prisma.profile.findUnique({ where: { username: normalized } });
    if (!profile) return null;
    ctx.loaders.profile.prime(profile.userId, profile);
    return { id: profile.userId };
  },
};

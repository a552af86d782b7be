import { requireUser } from '@builderai/kit';
import { updateProfile } from '../domain/profiles.js';
import { updateSettings } from '../domain/settings.js';
import type { MutationResolvers } from '../generated/graphql.js';

export const Mutation: MutationResolvers = {
  updateProfile: async (_, { input }, ctx) => {
    const userId = requireUser(ctx);
    const profile = await updateProfile(ctx.prisma, userId, input);
    ctx.publishEvents();
    // The answer shows the profile just written, even if this request loaded it before.
    ctx.loaders.profile.clear(userId).prime(userId, profile);
    return { id: userId };
  },

  updateSettings: async (_, { input }, ctx) => {
    const userId = requireUser(ctx);
    const settings = await updateSettings(ctx.prisma, userId, input);
    ctx.publishEvents();
    ctx.loaders.settings.clear(userId).prime(userId, settings);
    return { id: userId };
  },
};

import { requireUser } from '@builderai/kit';
import type { UsersContext } from '../context.js';
import { updateProfile, type ProfileInput } from '../domain/profiles.js';
import { updateSettings, type SettingsInput } from '../domain/settings.js';
import type { UserRef } from './User.js';

export const Mutation = {
  updateProfile: async (_: unknown, { input }: { input: ProfileInput }, ctx: UsersContext): Promise<UserRef> => {
    const userId = requireUser(ctx);
    const profile = await updateProfile(ctx.prisma, userId, input);
    ctx.publishEvents();
    // The answer shows the profile just written, even if this request loaded it before.
    ctx.loaders.profile.clear(userId).prime(userId, profile);
    return { id: userId };
  },

  updateSettings: async (_: unknown, { input }: { input: SettingsInput }, ctx: UsersContext): Promise<UserRef> => {
    const userId = requireUser(ctx);
    const settings = await updateSettings(ctx.prisma, userId, input);
    ctx.publishEvents();
    ctx.loaders.settings.clear(userId).prime(userId, settings);
    return { id: userId };
  },
};

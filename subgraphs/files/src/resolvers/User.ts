import { hasRole } from '@builderai/kit';
import type { FilesContext } from '../context.js';
import { storageUsage } from '../domain/quotas.js';
import type { EntityRef } from '@builderai/kit';
import type { UserResolvers } from '../generated/graphql.js';

// Storage is private to the user and to admins.
const canSeeStorage = (ctx: FilesContext, userId: string) => ctx.identity.userId === userId || hasRole(ctx, 'ADMIN');

export const User: UserResolvers = {
  __resolveReference: ({ id }): EntityRef => ({ id }),

  storage: async ({ id }, _, ctx) =>
    canSeeStorage(ctx, id) ? storageUsage(await ctx.loaders.storage.load(id), ctx.files.config.quotaBytes) : null,
};

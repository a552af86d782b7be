import { isUuid } from '@builderai/kit';
import { canRead } from '../domain/access.js';
import { emptyPage, listProjects } from '../domain/listing.js';
import type { UserResolvers } from '../generated/graphql.js';

export const User: UserResolvers = {
  // Only the user themself (or an admin) sees their projects; anyone else an empty list,
  // which says nothing about whether there are any.
  projects: (user, args, ctx) => {
    const userId = user.id.toLowerCase();
    return isUuid(userId) && canRead(ctx.viewer, userId) ? listProjects(ctx.prisma, userId, args) : emptyPage();
  },
};

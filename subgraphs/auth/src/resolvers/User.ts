import { hasRole } from '@builderai/kit';
import type { UserResolvers } from '../generated/graphql.js';

export const User: UserResolvers = {
  __resolveReference: (reference, context) => context.loaders.userById.load(reference.id),

  // Only the user themself and admins may read an email address.
  email: (user, _args, context) => {
    const self = user.id === context.identity.userId || user.id === context.signedInUserId;
    return self || hasRole(context, 'ADMIN') ? user.email : null;
  },
};

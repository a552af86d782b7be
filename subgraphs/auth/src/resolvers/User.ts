import { hasRole } from '@builderai/kit';
import type { User as UserRow } from '../generated/prisma/client.ts';
import type { AuthContext } from '../context.js';

export const User = {
  __resolveReference: (reference: { id: string }, context: AuthContext) => context.loaders.userById.load(reference.id),

  // Only the user themself and admins may read an email address.
  email: (user: UserRow, _args: unknown, context: AuthContext) => {
    const self = user.id === context.identity.userId || user.id === context.signedInUserId;
    return self || hasRole(context, 'ADMIN') ? user.email : null;
  },
};

import { hasRole } from '@builderai/kit';
import type { UserResolvers } from '../generated/graphql.js';
import type { AuthContext } from '../context.js';

const mayReadAccount = (userId: string, context: AuthContext) =>
  userId === context.identity.userId || userId === context.signedInUserId || hasRole(context, 'ADMIN');

export const User: UserResolvers = {
  __resolveReference: (reference, context) => context.loaders.userById.load(reference.id),

  // Only the user themself and admins may read an email address, or how the account signs in.
  email: (user, _args, context) => (mayReadAccount(user.id, context) ? user.email : null),
  hasPassword: (user, _args, context) => (mayReadAccount(user.id, context) ? user.passwordHash !== null : null),
  identities: (user, _args, context) => (mayReadAccount(user.id, context) ? context.signIn.identitiesOf(user.id) : []),
};

import { requireUser } from '@builderai/kit';
import type { QueryResolvers } from '../generated/graphql.js';

export const Query: QueryResolvers = {
  sessions: (_parent, _args, context) => context.accounts.listSessions(requireUser(context)),
  signInProviders: (_parent, _args, context) => context.signIn.providers().map(({ id, name, icon }) => ({ id, name, icon })),
};

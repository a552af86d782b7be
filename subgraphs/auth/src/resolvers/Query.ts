import { requireUser } from '@builderai/kit';
import type { AuthContext } from '../context.js';

export const Query = {
  sessions: (_parent: unknown, _args: unknown, context: AuthContext) => context.accounts.listSessions(requireUser(context)),
};

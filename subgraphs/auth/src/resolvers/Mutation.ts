import { forbidden, hasRole, requireUser, unauthenticated } from '@builderai/kit';
import type { AccountStatus } from '../generated/prisma/client.ts';
import type { SignedIn, RegisterInput } from '../domain/accounts.js';
import { clientOf, type AuthContext } from '../context.js';

interface Credentials {
  email: string;
  password: string;
}

/** The payload's user has just proven who they are, so they may see their own email. */
function payload(context: AuthContext, signedIn: SignedIn): SignedIn {
  context.signedInUserId = signedIn.user.id;
  return signedIn;
}

function currentSession(context: AuthContext): { userId: string; sessionId: string } {
  const userId = requireUser(context);
  if (!context.identity.sessionId) throw unauthenticated('This request has no session');
  return { userId, sessionId: context.identity.sessionId };
}

export const Mutation = {
  register: async (_: unknown, { input }: { input: RegisterInput }, context: AuthContext) =>
    payload(context, await context.accounts.register(input, clientOf(context))),

  login: async (_: unknown, { input }: { input: Credentials }, context: AuthContext) =>
    payload(context, await context.accounts.login(input, clientOf(context))),

  refreshToken: async (_: unknown, { token }: { token: string }, context: AuthContext) =>
    payload(context, await context.accounts.refresh(token, clientOf(context))),

  logout: (_: unknown, _args: unknown, context: AuthContext) => {
    const { userId, sessionId } = currentSession(context);
    return context.accounts.logout(userId, sessionId);
  },

  logoutAll: (_: unknown, _args: unknown, context: AuthContext) => context.accounts.logoutAll(requireUser(context)),

  changePassword: (_: unknown, { input }: { input: { currentPassword: string; newPassword: string } }, context: AuthContext) =>
    context.accounts.changePassword(requireUser(context), context.identity.sessionId, input),

  requestPasswordReset: async (_: unknown, { email }: { email: string }, context: AuthContext) => {
    await context.accounts.requestPasswordReset(email);
    return true;
  },

  resetPassword: (_: unknown, { input }: { input: { token: string; newPassword: string } }, context: AuthContext) =>
    context.accounts.resetPassword(input),

  revokeSession: (_: unknown, { id }: { id: string }, context: AuthContext) => context.accounts.revokeSession(requireUser(context), id),

  setAccountStatus: (_: unknown, { userId, status }: { userId: string; status: AccountStatus }, context: AuthContext) => {
    requireUser(context);
    if (!hasRole(context, 'ADMIN')) throw forbidden('Only admins can change an account status');
    return context.accounts.setAccountStatus(userId, status);
  },
};

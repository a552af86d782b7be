import { forbidden, hasRole, requireUser, unauthenticated } from '@builderai/kit';
import type { SignedIn } from '../domain/accounts.js';
import type { MutationResolvers } from '../generated/graphql.js';
import { clientOf, type AuthContext } from '../context.js';

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

export const Mutation: MutationResolvers = {
  register: async (_, { input }, context) =>
    payload(context, await context.accounts.register(input, clientOf(context))),

  login: async (_, { input }, context) =>
    payload(context, await context.accounts.login(input, clientOf(context))),

  refreshToken: async (_, { token }, context) =>
    payload(context, await context.accounts.refresh(token, clientOf(context))),

  logout: (_, _args, context) => {
    const { userId, sessionId } = currentSession(context);
    return context.accounts.logout(userId, sessionId);
  },

  logoutAll: (_, _args, context) => context.accounts.logoutAll(requireUser(context)),

  changePassword: (_, { input }, context) =>
    context.accounts.changePassword(requireUser(context), context.identity.sessionId, input, clientOf(context)),

  requestPasswordReset: async (_, { email }, context) => {
    await context.accounts.requestPasswordReset(email);
    return true;
  },

  resetPassword: (_, { input }, context) =>
    context.accounts.resetPassword(input),

  revokeSession: (_, { id }, context) => context.accounts.revokeSession(requireUser(context), id),

  startSignIn: (_, { provider, redirectUri }, context) => context.signIn.start(provider, redirectUri),

  completeSignIn: async (_, { provider, code, state, iss }, context) =>
    payload(context, await context.signIn.complete(provider, code, state, iss, clientOf(context))),

  confirmSignInLink: async (_, { token, password }, context) =>
    payload(context, await context.signIn.confirmLink(token, password, clientOf(context))),

  startIdentityLink: (_, { provider, redirectUri }, context) => context.signIn.start(provider, redirectUri, requireUser(context)),

  completeIdentityLink: (_, { provider, code, state, iss }, context) =>
    context.signIn.link(provider, code, state, iss, requireUser(context), clientOf(context)),

  unlinkIdentity: (_, { id }, context) => context.signIn.unlink(requireUser(context), id),

  setPassword: (_, { newPassword }, context) => context.accounts.setPassword(requireUser(context), newPassword),

  setAccountStatus: (_, { userId, status }, context) => {
    requireUser(context);
    if (!hasRole(context, 'ADMIN')) throw forbidden('Only admins can change an account status');
    return context.accounts.setAccountStatus(userId, status);
  },
};

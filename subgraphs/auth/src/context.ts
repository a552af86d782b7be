// What auth resolvers receive: the request's identity, the use cases and per-request loaders
// (so a federated query loads its users in one SQL query).
import { batchBy, type RequestContext } from '@builderai/kit';
import type { User } from './generated/prisma/client.ts';
import type { ClientInfo } from './domain/sessions.js';
import type { AuthApp } from './setup.js';

export const createAuthContext = (base: RequestContext, { db: prisma, accounts, signIn }: AuthApp) => ({
  ...base,
  prisma,
  accounts,
  signIn,
  loaders: { userById: batchBy((user: User) => user.id, (ids) => prisma.user.findMany({ where: { id: { in: ids } } })) },
  /** The user this request has just signed in, who may see their own email in the payload. */
  signedInUserId: undefined as string | undefined,
});

export type AuthContext = ReturnType<typeof createAuthContext>;

/** Where the request comes from, as the router reported it. */
export const clientOf = (context: AuthContext): ClientInfo => ({ ip: context.identity.ip, userAgent: context.userAgent });

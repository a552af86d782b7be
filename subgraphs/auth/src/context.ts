// What auth resolvers receive: the request's identity plus the database, the use cases and
// per-request loaders (so a federated query loads its users in one SQL query).
import DataLoader from 'dataloader';
import type { RequestContext } from '@builderai/kit';
import type { PrismaClient, User } from './generated/prisma/client.ts';
import type { Accounts } from './domain/accounts.js';
import type { ClientInfo } from './domain/sessions.js';
import { isUuid } from './domain/validation.js';

export interface AuthContext extends RequestContext {
  prisma: PrismaClient;
  accounts: Accounts;
  loaders: { userById: DataLoader<string, User | null> };
  /** The user this request has just signed in, who may see their own email in the payload. */
  signedInUserId?: string;
}

function userLoader(prisma: PrismaClient) {
  return new DataLoader<string, User | null>(async (ids) => {
    const users = await prisma.user.findMany({ where: { id: { in: ids.filter(isUuid) } } });
    const byId = new Map(users.map((user) => [user.id, user]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

export function createAuthContext(base: RequestContext, services: { prisma: PrismaClient; accounts: Accounts }): AuthContext {
  return { ...base, ...services, loaders: { userById: userLoader(services.prisma) } };
}

/** Where the request comes from, as the router reported it. */
export const clientOf = (context: AuthContext): ClientInfo => ({ ip: context.identity.ip, userAgent: context.userAgent });

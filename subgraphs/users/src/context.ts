// What every users resolver receives: the request's identity plus the database and its
// per-request loaders.
import type { RequestContext } from '@builderai/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import { createLoaders, type UsersLoaders } from './loaders.js';

export interface UsersContext extends RequestContext {
  prisma: PrismaClient;
  loaders: UsersLoaders;
  /** Call after committing a change that recorded events, so they are published now. */
  publishEvents: () => void;
}

export function createUsersContext(base: RequestContext, prisma: PrismaClient, publishEvents: () => void): UsersContext {
  return { ...base, prisma, loaders: createLoaders(prisma), publishEvents };
}

// What every users resolver receives: the request's identity plus the database and its
// per-request loaders.
import type { RequestContext, ServiceRuntime } from '@builderai/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import { createLoaders } from './loaders.js';

export type UsersApp = ServiceRuntime<PrismaClient>;

// publishEvents: call after committing a change that recorded events, so they go out now.
export const createUsersContext = (base: RequestContext, { db, publishEvents }: UsersApp) => ({ ...base, prisma: db, loaders: createLoaders(db), publishEvents });

export type UsersContext = ReturnType<typeof createUsersContext>;

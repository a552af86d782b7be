// What every users resolver receives: the request's identity plus the database and its
// per-request loaders.
import { batchBy, type RequestContext, type ServiceRuntime } from '@builderai/kit';
import type { AccountSettings, PrismaClient, Profile, UserStats } from './generated/prisma/client.ts';

export type UsersApp = ServiceRuntime<PrismaClient>;

export const createUsersContext = (base: RequestContext, { db, publishEvents }: UsersApp) => ({
  ...base,
  prisma: db,
  loaders: {
    profile: batchBy((row: Profile) => row.userId, (userIds) => db.profile.findMany({ where: { userId: { in: userIds } } })),
    settings: batchBy((row: AccountSettings) => row.userId, (userIds) => db.accountSettings.findMany({ where: { userId: { in: userIds } } })),
    stats: batchBy((row: UserStats) => row.userId, (userIds) => db.userStats.findMany({ where: { userId: { in: userIds } } })),
  },
  /** Call after committing a change that recorded events, so they are published now. */
  publishEvents,
});

export type UsersContext = ReturnType<typeof createUsersContext>;

// Per-request batching: every profile, settings or stats lookup of one request, however many
// users it spans, costs one SQL query per table.
import { batchBy } from '@builderai/kit';
import type { AccountSettings, PrismaClient, Profile, UserStats } from './generated/prisma/client.ts';

export const createLoaders = (db: PrismaClient) => ({
  profile: batchBy((row: Profile) => row.userId, (userIds) => db.profile.findMany({ where: { userId: { in: userIds } } })),
  settings: batchBy((row: AccountSettings) => row.userId, (userIds) => db.accountSettings.findMany({ where: { userId: { in: userIds } } })),
  stats: batchBy((row: UserStats) => row.userId, (userIds) => db.userStats.findMany({ where: { userId: { in: userIds } } })),
});

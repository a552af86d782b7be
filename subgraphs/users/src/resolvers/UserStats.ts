import type { UserStats as UserStatsRow } from '../generated/prisma/client.ts';

export const UserStats = {
  lastLoginAt: (stats: UserStatsRow) => stats.lastLogin,
};

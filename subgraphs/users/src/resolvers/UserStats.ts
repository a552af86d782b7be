import type { UserStatsResolvers } from '../generated/graphql.js';

export const UserStats: UserStatsResolvers = {
  lastLoginAt: (stats) => stats.lastLogin,
};

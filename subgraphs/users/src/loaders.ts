// Per-request batching: every profile, settings or stats lookup of one request, however many
// users it spans, costs one SQL query per table.
import DataLoader from 'dataloader';
import type { AccountSettings, PrismaClient, Profile, UserStats } from './generated/prisma/client.ts';

export interface UsersLoaders {
  profile: DataLoader<string, Profile | null>;
  settings: DataLoader<string, AccountSettings | null>;
  stats: DataLoader<string, UserStats | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** User ids are UUIDs; anything else names no one (and must not reach a uuid column). */
export const isUserId = (id: string) => UUID.test(id);

// One query for all the keys of a batch, answered in the order of the keys.
function byUserId<Row extends { userId: string }>(findMany: (userIds: string[]) => Promise<Row[]>) {
  return new DataLoader<string, Row | null>(async (keys) => {
    const valid = keys.filter(isUserId).map((id) => id.toLowerCase());
    const rows = valid.length > 0 ? await findMany(valid) : [];
    const byId = new Map(rows.map((row) => [row.userId, row]));
    return keys.map((key) => byId.get(key.toLowerCase()) ?? null);
  });
}

export function createLoaders(db: PrismaClient): UsersLoaders {
  return {
    profile: byUserId((userIds) => db.profile.findMany({ where: { userId: { in: userIds } } })),
    settings: byUserId((userIds) => db.accountSettings.findMany({ where: { userId: { in: userIds } } })),
    stats: byUserId((userIds) => db.userStats.findMany({ where: { userId: { in: userIds } } })),
  };
}

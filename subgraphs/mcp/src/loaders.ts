// Per-request batching: however many users' servers one request lists, one SQL query.
import { batchManyBy } from '@builderai/kit';
import type { McpOAuthGrant, McpServer, McpToolConsentSetting, PrismaClient } from './generated/prisma/client.ts';

export const createLoaders = (db: PrismaClient) => ({
  /** Each user's servers, oldest first. */
  serversOfUser: batchManyBy(
    (row: McpServer) => row.userId,
    (ids) => db.mcpServer.findMany({ where: { userId: { in: ids } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  ),
  /** Each server's tool consents. */
  consents: batchManyBy(
    (row: McpToolConsentSetting) => row.serverId,
    (ids) => db.mcpToolConsentSetting.findMany({ where: { serverId: { in: ids } } }),
  ),
  /** Each server's OAuth grants (its owner's: a server has one user). */
  grants: batchManyBy(
    (row: McpOAuthGrant) => row.serverId,
    (ids) => db.mcpOAuthGrant.findMany({ where: { serverId: { in: ids } } }),
  ),
});

// Grants are refreshed before their access tokens expire even when nobody is calling, so the
// next call never waits for a refresh, and a refresh token kept alive by use stays alive. Their
// refresh times are spread (grants.ts); each process takes the due ones another is not refreshing.
import type { McpApp } from '../context.js';
import { refreshGrant } from './grants.js';

const BATCH = 50;

export async function refreshDueGrants(app: Pick<McpApp, 'db' | 'secretsKey' | 'fetch' | 'config' | 'logger' | 'grants'>): Promise<number> {
  const due = await app.db.mcpOAuthGrant.findMany({ where: { status: 'ACTIVE', refreshAt: { lte: new Date() } }, orderBy: { refreshAt: 'asc' }, take: BATCH, select: { id: true } });
  let refreshed = 0;
  for (const { id } of due) {
    const row = await refreshGrant(app, id, null);
    if (row) {
      refreshed += 1;
      await app.grants.refreshed(row);
    }
  }
  return refreshed;
}

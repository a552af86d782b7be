// The access tokens one process sends, per (server, user): read once from the grant and kept in
// memory until they are due for refresh; a refresh runs once however many calls need it (and
// once across processes, see grants.ts); a refused token is traded for the refreshed one, or
// for the one another process refreshed meanwhile.
import type { McpServer, McpOAuthGrant } from '../generated/prisma/client.ts';
import type { ServerAuthorization } from '../connections/authorized-fetch.js';
import { openGrant, refreshGrant, type GrantDeps } from './grants.js';

interface Cached {
  grantId: string;
  sealed: string;
  accessToken: string;
  refreshAt: number | null;
}

type ServerRef = Pick<McpServer, 'id' | 'userId' | 'authRequired'>;

export class GrantTokens {
  private readonly cache = new Map<string, Cached>();
  private readonly refreshing = new Map<string, Promise<Cached | null>>();

  constructor(private readonly deps: GrantDeps) {}

  /** What the server's HTTP transports ask for its owner's tokens. */
  authorizationFor(server: ServerRef): ServerAuthorization {
    return { token: () => this.token(server), refused: (token) => this.refused(server, token) };
  }

  /** Forgets the tokens kept for a server (its grant changed or is gone). */
  forget(serverId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${serverId}:`)) this.cache.delete(key);
  }

  /** Takes a grant refreshed elsewhere in this process (the scheduled refresh). */
  async refreshed(row: McpOAuthGrant): Promise<void> {
    const key = `${row.serverId}:${row.userId}`;
    if (this.cache.has(key)) await this.remember(key, row);
  }

  private async token(server: ServerRef): Promise<string | null> {
    if (!server.authRequired) return null;
    const key = `${server.id}:${server.userId}`;
    let cached = await this.current(key, server);
    if (cached && cached.refreshAt !== null && cached.refreshAt <= Date.now()) cached = await this.refresh(key, cached);
    return cached?.accessToken ?? null;
  }

  private async refused(server: ServerRef, token: string | null): Promise<string | null> {
    if (token === null) {
      // The server asked for authorization: say so on the server, so its owner sees it.
      if (!server.authRequired) await this.deps.db.mcpServer.updateMany({ where: { id: server.id }, data: { authRequired: true } });
      return null;
    }
    const key = `${server.id}:${server.userId}`;
    const cached = await this.current(key, server);
    if (!cached) return null;
    if (cached.accessToken !== token) return cached.accessToken;
    const next = await this.refresh(key, cached);
    // Still the same token: the refresh failed for now (the grant itself stands).
    if (next?.accessToken === token) throw new Error('the authorization server did not refresh the token; try again shortly');
    return next?.accessToken ?? null;
  }

  private async current(key: string, server: ServerRef): Promise<Cached | null> {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const row = await this.deps.db.mcpOAuthGrant.findUnique({ where: { serverId_userId: { serverId: server.id, userId: server.userId } } });
    return this.remember(key, row);
  }

  private async remember(key: string, row: McpOAuthGrant | null): Promise<Cached | null> {
    if (!row || row.status !== 'ACTIVE') {
      this.cache.delete(key);
      return null;
    }
    const { tokens } = await openGrant(this.deps, row);
    const cached = { grantId: row.id, sealed: row.sealedTokens, accessToken: tokens.access_token, refreshAt: row.refreshAt?.getTime() ?? null };
    this.cache.set(key, cached);
    return cached;
  }

  private refresh(key: string, cached: Cached): Promise<Cached | null> {
    let running = this.refreshing.get(key);
    if (!running) {
      running = refreshGrant(this.deps, cached.grantId, cached.sealed)
        .then((row) => this.remember(key, row))
        .finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, running);
    }
    return running;
  }
}

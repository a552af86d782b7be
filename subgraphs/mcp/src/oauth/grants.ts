// A user's OAuth grant for one server: tokens and client registration sealed at rest, refreshed
// before the access token expires (at 70 to 85% of its life, so grants issued together do not
// refresh together), and refreshed by one process at a time: the row is locked while a refresh
// runs, and a process that finds it refreshed meanwhile takes the new tokens instead of spending
// the (rotated) refresh token twice.
import { decryptAtRest, encryptAtRest } from '@builderai/kit';
import { refreshAuthorization, selectClientAuthMethod } from '@modelcontextprotocol/sdk/client/auth.js';
import { InvalidClientError, InvalidGrantError, UnauthorizedClientError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthorizationServerMetadata, OAuthClientInformationFull, OAuthMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '@builderai/kit';
import type { McpOAuthGrant, Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { McpConfig } from '../config.js';
import type { FetchLike } from '../connections/open-client.js';
import { readableError } from '../connections/errors.js';
import { mcpEvents } from '../events.js';
import type { AuthorizationServerInfo } from './discovery.js';

export interface GrantDeps {
  db: PrismaClient;
  secretsKey: KeyObject;
  /** The guarded fetch: authorization servers are held to the same networks as MCP servers. */
  fetch: FetchLike;
  config: McpConfig;
  logger: Logger;
}

const TOKENS_KIND = 'mcp-oauth-tokens';
const CLIENT_KIND = 'mcp-oauth-client';
/** A refresh that failed for a reason other than a refused grant is tried again after this, or before expiry. */
const RETRY_MS = 60_000;

export interface OpenedGrant {
  row: McpOAuthGrant;
  tokens: OAuthTokens;
  client: OAuthClientInformationFull;
}

export const openGrant = async (deps: Pick<GrantDeps, 'secretsKey'>, row: McpOAuthGrant): Promise<OpenedGrant> => ({
  row,
  tokens: await decryptAtRest<OAuthTokens>(TOKENS_KIND, row.sealedTokens, deps.secretsKey),
  client: await decryptAtRest<OAuthClientInformationFull>(CLIENT_KIND, row.sealedClient, deps.secretsKey),
});

export const sealClient = (deps: Pick<GrantDeps, 'secretsKey'>, client: OAuthClientInformationFull) => encryptAtRest(CLIENT_KIND, client, deps.secretsKey);

/** When the access token expires and when to refresh it; null for a token that did not say how long it lives. */
export function refreshTimes(now: number, expiresInSeconds: number | undefined, random = Math.random): { expiresAt: Date | null; refreshAt: Date | null } {
  if (!expiresInSeconds || expiresInSeconds <= 0) return { expiresAt: null, refreshAt: null };
  const lifetimeMs = expiresInSeconds * 1000;
  return { expiresAt: new Date(now + lifetimeMs), refreshAt: new Date(now + lifetimeMs * (0.7 + 0.15 * random())) };
}

async function tokenColumns(deps: Pick<GrantDeps, 'secretsKey'>, tokens: OAuthTokens) {
  return { sealedTokens: await encryptAtRest(TOKENS_KIND, tokens, deps.secretsKey), ...refreshTimes(Date.now(), tokens.expires_in), status: 'ACTIVE' as const, lastError: null };
}

/** Keeps the tokens a finished authorization gave, replacing any earlier grant of the user for the server. */
export async function saveGrant(
  deps: GrantDeps,
  grant: { serverId: string; userId: string; server: AuthorizationServerInfo; client: OAuthClientInformationFull; tokens: OAuthTokens },
): Promise<McpOAuthGrant> {
  const data = {
    authorizationServer: grant.server.authorizationServer,
    metadata: grant.server.metadata as Prisma.InputJsonValue,
    resource: grant.server.resource,
    scope: grant.tokens.scope ?? grant.server.scope ?? null,
    sealedClient: await sealClient(deps, grant.client),
    ...(await tokenColumns(deps, grant.tokens)),
  };
  // A check is due at once: it lists what the server offers now that it can be asked.
  return deps.db.$transaction(async (tx) => {
    const saved = await tx.mcpOAuthGrant.upsert({ where: { serverId_userId: { serverId: grant.serverId, userId: grant.userId } }, create: { serverId: grant.serverId, userId: grant.userId, ...data }, update: data });
    await tx.mcpServer.update({ where: { id: grant.serverId }, data: { authRequired: true, nextCheckAt: new Date() } });
    await mcpEvents.record(tx, 'mcp.server.authorized', { serverId: grant.serverId, userId: grant.userId });
    return saved;
  });
}

// The authorization server refused the grant itself: only the user can mend it.
const grantRefused = (error: unknown) => error instanceof InvalidGrantError || error instanceof InvalidClientError || error instanceof UnauthorizedClientError;

/**
 * Refreshes the grant unless another process did since `seen` (its sealed tokens as last read;
 * null: refresh only if due, skipping it while another process refreshes it). Returns the grant
 * as it now stands (null once it is gone, or skipped).
 */
export async function refreshGrant(deps: GrantDeps, grantId: string, seen: string | null): Promise<McpOAuthGrant | null> {
  // The lock is held across the token request: a second refresh waits and then finds it done.
  const timeout = deps.config.connectTimeoutMs * 2 + 5000;
  return deps.db.$transaction(
    async (tx) => {
      // A scheduled refresh skips a grant another process is refreshing; a needed one waits for it.
      if (seen === null) {
        const claimed = await tx.$queryRaw<unknown[]>`SELECT 1 FROM oauth_grants WHERE id = ${grantId}::uuid FOR UPDATE SKIP LOCKED`;
        if (claimed.length === 0) return null;
      } else await tx.$executeRaw`SELECT 1 FROM oauth_grants WHERE id = ${grantId}::uuid FOR UPDATE`;
      const row = await tx.mcpOAuthGrant.findUnique({ where: { id: grantId } });
      if (!row || row.status !== 'ACTIVE') return row;
      const stillSame = seen === null ? row.refreshAt !== null && row.refreshAt.getTime() <= Date.now() : row.sealedTokens === seen;
      if (!stillSame) return row;
      const { tokens, client } = await openGrant(deps, row);
      if (!tokens.refresh_token) {
        return tx.mcpOAuthGrant.update({ where: { id: row.id }, data: { status: 'REAUTHORIZE', refreshAt: null, lastError: 'the access token expired and came without a refresh token' } });
      }
      try {
        const fresh = await refreshAuthorization(row.authorizationServer, {
          metadata: row.metadata as unknown as AuthorizationServerMetadata,
          clientInformation: client,
          refreshToken: tokens.refresh_token,
          resource: row.resource ? new URL(row.resource) : undefined,
          fetchFn: deps.fetch,
        });
        return tx.mcpOAuthGrant.update({ where: { id: row.id }, data: await tokenColumns(deps, fresh) });
      } catch (error) {
        const reason = readableError(error);
        if (grantRefused(error)) {
          deps.logger.info({ grantId, reason }, 'mcp oauth grant refused at refresh: the user must authorize again');
          return tx.mcpOAuthGrant.update({ where: { id: row.id }, data: { status: 'REAUTHORIZE', refreshAt: null, lastError: `refresh refused: ${reason}` } });
        }
        deps.logger.warn({ grantId, reason }, 'mcp oauth refresh failed; trying again later');
        const retryAt = Math.min(Date.now() + RETRY_MS, row.expiresAt?.getTime() ?? Infinity);
        return tx.mcpOAuthGrant.update({ where: { id: row.id }, data: { refreshAt: new Date(Math.max(retryAt, Date.now() + 1000)), lastError: `refresh failed: ${reason}` } });
      }
    },
    { timeout, maxWait: timeout },
  );
}

/** Tells the authorization server the grant is no longer wanted (RFC 7009); best effort. */
export async function revokeAtServer(deps: GrantDeps, grant: OpenedGrant): Promise<void> {
  // OpenID discovery metadata has no revocation endpoint; RFC 8414 metadata may.
  const metadata = grant.row.metadata as unknown as Partial<OAuthMetadata>;
  const endpoint = metadata.revocation_endpoint;
  const token = grant.tokens.refresh_token ?? grant.tokens.access_token;
  if (!endpoint) return;
  const params = new URLSearchParams({ token, token_type_hint: grant.tokens.refresh_token ? 'refresh_token' : 'access_token' });
  const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
  const { client_id: clientId, client_secret: secret } = grant.client;
  const method = selectClientAuthMethod(grant.client, metadata.revocation_endpoint_auth_methods_supported ?? []);
  if (method === 'client_secret_basic' && secret) headers.set('authorization', `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`);
  else {
    params.set('client_id', clientId);
    if (secret) params.set('client_secret', secret);
  }
  try {
    const response = await deps.fetch(endpoint, { method: 'POST', headers, body: params.toString() });
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) deps.logger.info({ grantId: grant.row.id, status: response.status }, 'mcp oauth revocation refused');
  } catch (error) {
    deps.logger.info({ grantId: grant.row.id, reason: readableError(error) }, 'mcp oauth revocation failed');
  }
}

// Builds what the mcp domain shares: the network policy for user-registered URLs (a check at
// registration, a guarded fetch and lookup at every connection), the key of the secrets it
// stores, users' OAuth tokens, and the pool of client sessions.
import { atRestKey, badUserInput, secretFrom, type Logger } from '@builderai/kit';
import type { McpRuntime } from './context.js';
import { ConnectionPool } from './connections/pool.js';
import { openClient, type ListKind, type ServerEndpoint } from './connections/open-client.js';
import { saveList } from './domain/lists.js';
import { GrantTokens } from './oauth/server-authorization.js';
import { CALLBACK_PATH } from './oauth/authorizations.js';
import { checkServerUrl, createGuardedFetch, guardedLookup, parseNetworkPolicy, UnsafeUrlError } from './network/index.js';

export async function setupMcp({ env, config, db, logger, ownUrl }: McpRuntime) {
  const policy = parseNetworkPolicy(config.allowNetworks);
  const fetch = createGuardedFetch(policy, { connectTimeoutMs: config.connectTimeoutMs });
  const lookup = guardedLookup(policy);
  const secretsKey = atRestKey(secretFrom(env, 'MCP_SECRETS_KEY', logger));

  const checkUrl = async (url: string, field: string) => {
    try {
      return (await checkServerUrl(url, policy)).url.href;
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw badUserInput(`${field}: ${error.message}`, field);
      throw error;
    }
  };
  const open = (endpoint: ServerEndpoint) =>
    openClient(endpoint, {
      fetch,
      lookup,
      checkUrl: (url: URL) => checkServerUrl(url.href, policy),
      connectTimeoutMs: config.connectTimeoutMs,
      onListChanged: (kind: ListKind, items: unknown[]) => void saveList(db, endpoint.id, kind, items).catch((error) => logWarn(logger, error, endpoint.id)),
    });
  const pool = new ConnectionPool({
    open,
    idleCloseMs: config.idleCloseSeconds * 1000,
    maxConnections: config.maxConnections,
    breaker: { failures: config.breakerFailures, openMs: config.breakerOpenSeconds * 1000 },
    logger,
  });
  const grants = new GrantTokens({ db, secretsKey, fetch, config, logger });
  /** Where authorization servers send the user's browser back to. */
  const redirectUrl = () => `${config.publicUrl ?? ownUrl()}${CALLBACK_PATH}`;
  /** Closes every session (and stdio process), then the fetch's connections. */
  const close = async () => {
    await pool.closeAll();
    await fetch.close();
  };
  return { checkUrl, secretsKey, fetch, grants, redirectUrl, pool, openClient: open, close };
}

const logWarn = (logger: Logger, error: unknown, serverId: string) => logger.warn({ err: error, serverId }, 'could not save what an MCP server offers');

// The mcp service's environment: which networks user-registered servers may be on, which local
// commands may run as stdio servers, and the limits of connections and calls.
import { z } from 'zod';
import { defineConfig, variable, jsonText } from '@builderai/kit';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);

/** An operator's allow-listed stdio server: what runs when a user registers its name. */
const stdioCommand = z.object({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  /** Variables given to the process (it inherits only PATH, HOME and the like). */
  env: z.record(z.string()).default({}),
});
export type StdioCommand = z.infer<typeof stdioCommand>;

const stdioCommands = jsonText(z.record(stdioCommand), 'an object of name → { command, args, env }');

const baseUrl = z
  .string()
  .url()
  .transform((url) => url.replace(/\/+$/, ''))
  .optional();

export const loadMcpConfig = defineConfig({
  /** Where browsers reach this service: OAuth authorization servers send users back to <this>/oauth/callback. Its own address by default. */
  publicUrl: variable('MCP_PUBLIC_URL', baseUrl),
  /** Where the callback sends the browser when it is done (the web app), with ?mcpServerId=&authorization=ok|failed; a page of its own when unset. */
  oauthReturnUrl: variable('MCP_OAUTH_RETURN_URL', baseUrl),
  /**
   * Non-public networks user-registered servers may be on: empty (none), or a comma list of
   * loopback, private, link-local and CIDRs. Checked at registration and at every connection.
   */
  allowNetworks: variable('MCP_ALLOW_NETWORKS', z.string().default('')),
  /** Named local commands users may register as STDIO servers; none by default. */
  stdioCommands: variable('MCP_STDIO_COMMANDS', stdioCommands.default('{}')),
  /** Longest a tool call may take unless its server says less. */
  callTimeoutMs: variable('MCP_CALL_TIMEOUT_MS', ms(30_000)),
  /** Longest connecting (and initializing) may take, per URL. */
  connectTimeoutMs: variable('MCP_CONNECT_TIMEOUT_MS', ms(10_000)),
  /** A pooled connection unused this long is closed (and reopened by the next call). */
  idleCloseSeconds: variable('MCP_IDLE_CLOSE_SECONDS', seconds(300)),
  /** How often each server is checked. */
  checkIntervalSeconds: variable('MCP_CHECK_INTERVAL_SECONDS', seconds(60)),
  /** Failed connections in a row that open a server's breaker, and how long it stays open. */
  breakerFailures: variable('MCP_BREAKER_FAILURES', z.coerce.number().int().positive().default(3)),
  breakerOpenSeconds: variable('MCP_BREAKER_OPEN_SECONDS', seconds(30)),
  maxServersPerUser: variable('MCP_MAX_SERVERS_PER_USER', z.coerce.number().int().positive().default(50)),
  /** Open connections of one instance, at most (the least recently used is closed first). */
  maxConnections: variable('MCP_MAX_CONNECTIONS', z.coerce.number().int().positive().default(1000)),
});

export type McpConfig = ReturnType<typeof loadMcpConfig>;

// A stored server as the connections reach it: its URLs in order, its command, its headers
// opened from their encryption, and its owner's OAuth tokens when it wants them.
import { decryptAtRest } from '@builderai/kit';
import type { McpServer } from '../generated/prisma/client.ts';
import type { McpApp } from '../context.js';
import type { ServerEndpoint } from '../connections/open-client.js';

export const HEADERS_KIND = 'mcp-headers';

export async function endpointOf(deps: Pick<McpApp, 'config' | 'secretsKey' | 'grants'>, server: McpServer): Promise<ServerEndpoint> {
  const { config } = deps;
  const headers = server.sealedHeaders ? await decryptAtRest<Record<string, string>>(HEADERS_KIND, server.sealedHeaders, deps.secretsKey) : {};
  const overHttp = server.transport === 'STREAMABLE_HTTP' || server.transport === 'SSE';
  return {
    id: server.id,
    userId: server.userId,
    transport: server.transport,
    urls: server.url ? [server.url, ...server.fallbackUrls] : [],
    command: server.command ? (config.stdioCommands[server.command] ?? null) : null,
    headers,
    timeoutMs: server.timeoutMs ?? config.callTimeoutMs,
    ...(overHttp && { authorization: deps.grants.authorizationFor(server) }),
  };
}

// A stored server as the connections reach it: its URLs in order, its command, and its headers
// opened from their encryption.
import { decryptAtRest } from '@builderai/kit';
import type { KeyObject } from 'node:crypto';
import type { McpServer } from '../generated/prisma/client.ts';
import type { McpConfig } from '../config.js';
import type { ServerEndpoint } from '../connections/open-client.js';

export const HEADERS_KIND = 'mcp-headers';

export async function endpointOf(server: McpServer, config: McpConfig, secretsKey: KeyObject): Promise<ServerEndpoint> {
  const headers = server.sealedHeaders ? await decryptAtRest<Record<string, string>>(HEADERS_KIND, server.sealedHeaders, secretsKey) : {};
  return {
    id: server.id,
    userId: server.userId,
    transport: server.transport,
    urls: server.url ? [server.url, ...server.fallbackUrls] : [],
    command: server.command ? (config.stdioCommands[server.command] ?? null) : null,
    headers,
    timeoutMs: server.timeoutMs ?? config.callTimeoutMs,
  };
}

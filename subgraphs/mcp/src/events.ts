// What the mcp service publishes, declared once; consumers import these contracts.
// `mcp.check.requested` is mcp's own work queue: one instance claims a due check, any takes it.
import { z } from 'zod';
import { defineEvents } from '@builderai/kit';

const id = z.string().uuid();
const status = z.enum(['ONLINE', 'DEGRADED', 'OFFLINE', 'UNKNOWN']);

export const mcpEvents = defineEvents('mcp', {
  'mcp.server.registered': z.object({ serverId: id, userId: id, name: z.string(), transport: z.string() }).describe('a user registered an MCP server'),
  'mcp.server.removed': z.object({ serverId: id, userId: id }).describe('a user removed an MCP server'),
  'mcp.server.authorized': z.object({ serverId: id, userId: id }).describe("a user authorized one of their servers (OAuth): its tools can be listed and called"),
  'mcp.server.status_changed': z
    .object({ serverId: id, userId: id, status, previousStatus: status, error: z.string().nullable(), latencyMs: z.number().int().nullable() })
    .describe("a server's health check found it in another state (ONLINE, DEGRADED, OFFLINE)"),
  'mcp.check.requested': z.object({ serverId: id }).describe("a server's health check is due (mcp's own job queue)"),
});

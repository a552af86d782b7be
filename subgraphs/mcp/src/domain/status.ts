// A server's status after a check or a test: the row, a connections row for the history, the
// event when the status changed (in the same transaction), and the message its owner's
// subscriptions get.
import type { McpServer, McpServerStatus, Prisma } from '../generated/prisma/client.ts';
import type { McpApp } from '../context.js';
import { mcpEvents } from '../events.js';
import type { Capabilities } from './capabilities.js';

export const statusChannel = (userId: string) => `mcp:status:${userId}`;

export interface StatusMessage {
  serverId: string;
  status: McpServerStatus;
  previousStatus: McpServerStatus;
  error: string | null;
  at: string;
}

export interface CheckOutcome {
  status: McpServerStatus;
  latencyMs: number | null;
  url: string | null;
  error: string | null;
  capabilities?: Capabilities;
}

type Deps = Pick<McpApp, 'db' | 'infra' | 'publishEvents' | 'logger'>;

export async function recordCheck(deps: Deps, server: McpServer, outcome: CheckOutcome): Promise<McpServer> {
  const now = new Date();
  const answered = outcome.status === 'ONLINE' || outcome.status === 'DEGRADED';
  const data: Prisma.McpServerUpdateInput = {
    status: outcome.status,
    latencyMs: outcome.latencyMs,
    lastError: outcome.error,
    ...(answered && { lastConnectedAt: now }),
    ...(outcome.capabilities && { capabilities: outcome.capabilities as unknown as Prisma.InputJsonValue, capabilitiesAt: now }),
  };
  const { updated, previous } = await deps.db.$transaction(async (tx) => {
    // The status before, read under the row's lock: two checks at once announce one change.
    const [locked] = await tx.$queryRawUnsafe<Array<{ status: McpServerStatus }>>(`SELECT status::text AS status FROM servers WHERE id = $1::uuid FOR UPDATE`, server.id);
    if (!locked) return { updated: null, previous: server.status };
    const updated = await tx.mcpServer.update({ where: { id: server.id }, data });
    await tx.mcpConnection.create({
      data: { serverId: server.id, status: outcome.status, latency: outcome.latencyMs, url: outcome.url, error: outcome.error, lastConnected: answered ? now : null },
    });
    if (locked.status !== outcome.status) {
      await mcpEvents.record(tx, 'mcp.server.status_changed', {
        serverId: server.id,
        userId: server.userId,
        status: outcome.status,
        previousStatus: locked.status,
        error: outcome.error,
        latencyMs: outcome.latencyMs,
      });
    }
    return { updated, previous: locked.status };
  });
  if (!updated) return server;
  if (previous !== outcome.status) {
    deps.publishEvents();
    const message: StatusMessage = { serverId: server.id, status: outcome.status, previousStatus: previous, error: outcome.error, at: now.toISOString() };
    await deps.infra.pubsub.publish(statusChannel(server.userId), message).catch((error) => deps.logger.warn({ err: error, serverId: server.id }, 'could not announce an MCP server status'));
  }
  return updated;
}

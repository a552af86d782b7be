// The events the mcp service consumes: its own health-check jobs (`mcp.checks`), which any
// instance may take. A job for a server removed meanwhile is nothing to do.
import { consumer } from '@builderai/kit';
import { mcpEvents } from './events.js';
import type { McpApp } from './context.js';
import { checkServer } from './domain/checks.js';

export const checkJobsConsumer = consumer(mcpEvents, 'mcp.checks', {
  'mcp.check.requested': async ({ serverId }, _event, app: McpApp) => {
    const server = await app.db.mcpServer.findUnique({ where: { id: serverId } });
    if (server) await checkServer(app, server);
  },
});

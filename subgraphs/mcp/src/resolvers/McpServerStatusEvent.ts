import type { McpServerStatusEventResolvers } from '../generated/graphql.js';

export const McpServerStatusEvent: McpServerStatusEventResolvers = {
  // Read fresh for each event: the server as it is now.
  server: async ({ serverId }, _, ctx) => (await ctx.db.mcpServer.findUnique({ where: { id: serverId } }))!,
  at: ({ at }) => new Date(at),
};

import { followChannel, isUuid, requireUser } from '@builderai/kit';
import type { SubscriptionResolvers } from '../generated/graphql.js';
import { statusChannel, type StatusMessage } from '../domain/status.js';
import { findServer } from '../domain/servers.js';

export const Subscription: SubscriptionResolvers = {
  mcpServerStatusChanged: {
    subscribe: async (_, { serverId }, ctx) => {
      const userId = requireUser(ctx);
      // One server's: it must be the viewer's (NOT_FOUND otherwise); else all of theirs.
      if (serverId) await findServer(ctx.app, ctx.viewer, serverId);
      const only = serverId && isUuid(serverId) ? serverId : undefined;
      return (await followChannel<StatusMessage>(ctx.app.infra.pubsub, statusChannel(userId), (message) => !only || message.serverId === only)) as never;
    },
    resolve: (message: StatusMessage) => message as never,
  },
};

import { requireUser } from '@builderai/kit';
import type { MutationResolvers } from '../generated/graphql.js';
import { callTool } from '../domain/calls.js';
import { checkServer } from '../domain/checks.js';
import { findServer, registerServer, removeServer, updateServer } from '../domain/servers.js';
import { setToolConsent, withConsents } from '../domain/consents.js';
import { revokeAuthorization, startAuthorization } from '../oauth/authorizations.js';

export const Mutation: MutationResolvers = {
  registerMcpServer: (_, { input }, ctx) => {
    const userId = requireUser(ctx);
    return registerServer(ctx.app, { ...ctx.viewer, userId }, input);
  },
  updateMcpServer: (_, { id, input }, ctx) => {
    requireUser(ctx);
    return updateServer(ctx.app, ctx.viewer, id, input);
  },
  removeMcpServer: (_, { id }, ctx) => {
    requireUser(ctx);
    return removeServer(ctx.app, ctx.viewer, id);
  },
  testMcpServer: async (_, { id }, ctx) => {
    requireUser(ctx);
    const result = await checkServer(ctx.app, await findServer(ctx.app, ctx.viewer, id), { force: true });
    // It works only if it answered and said what it offers (not when it asks for authorization).
    return {
      ok: result.status !== 'OFFLINE' && result.capabilities !== undefined,
      latencyMs: result.latencyMs,
      error: result.error,
      url: result.url,
      serverName: result.capabilities?.serverName ?? null,
      serverVersion: result.capabilities?.serverVersion ?? null,
      tools: withConsents(result.capabilities?.tools ?? [], await ctx.loaders.consents.load(result.server.id)),
    };
  },
  startMcpAuthorization: (_, { serverId }, ctx) => {
    requireUser(ctx);
    return startAuthorization(ctx.app, ctx.viewer, serverId);
  },
  revokeMcpAuthorization: (_, { serverId }, ctx) => {
    requireUser(ctx);
    return revokeAuthorization(ctx.app, ctx.viewer, serverId);
  },
  setMcpToolConsent: (_, { serverId, tool, consent }, ctx) => {
    requireUser(ctx);
    return setToolConsent(ctx.db, ctx.viewer, serverId, tool, consent);
  },
  callMcpTool: (_, { serverId, name, arguments: args }, ctx) => {
    requireUser(ctx);
    return callTool(ctx.app, ctx.viewer, serverId, name, args);
  },
};

import { canRead, type EntityRef } from '@builderai/kit';
import type { McpServerResolvers } from '../generated/graphql.js';
import { NO_CAPABILITIES, type Capabilities } from '../domain/capabilities.js';
import { checkedHours, dayUptime, serverMetrics } from '../domain/metrics.js';
import { HEADERS_KIND } from '../domain/endpoints.js';
import { withConsents } from '../domain/consents.js';
import { decryptAtRest } from '@builderai/kit';

const capabilitiesOf = (value: unknown): Capabilities => (value as Capabilities | null) ?? NO_CAPABILITIES;

export const McpServer: McpServerResolvers = {
  __resolveReference: async ({ id }, ctx) => {
    const server = await ctx.db.mcpServer.findUnique({ where: { id } });
    return server && canRead(ctx.viewer, server.userId) ? server : null;
  },
  owner: ({ userId }): EntityRef => ({ id: userId }),
  // The values stay sealed; only the names are shown, so a user sees what is set.
  headerNames: async ({ sealedHeaders }, _, ctx) => (sealedHeaders ? Object.keys(await decryptAtRest<Record<string, string>>(HEADERS_KIND, sealedHeaders, ctx.app.secretsKey)) : []),
  timeoutMs: ({ timeoutMs }, _, ctx) => timeoutMs ?? ctx.app.config.callTimeoutMs,
  authorization: async ({ id, userId, authRequired }, _, ctx) => {
    const grant = (await ctx.loaders.grants.load(id)).find((row) => row.userId === userId);
    if (!grant) return { status: authRequired ? 'REQUIRED' : 'NOT_REQUIRED' };
    return { status: grant.status === 'ACTIVE' ? 'AUTHORIZED' : 'EXPIRED', scope: grant.scope, accessTokenExpiresAt: grant.expiresAt, authorizedAt: grant.createdAt, lastError: grant.lastError };
  },
  uptime: ({ id }, _, ctx) => dayUptime(ctx.db, id),
  tools: async ({ id, capabilities }, _, ctx) => withConsents(capabilitiesOf(capabilities).tools, await ctx.loaders.consents.load(id)),
  resources: ({ capabilities }) => capabilitiesOf(capabilities).resources,
  prompts: ({ capabilities }) => capabilitiesOf(capabilities).prompts,
  metrics: ({ id }, { hours }, ctx) => serverMetrics(ctx.db, id, checkedHours(hours ?? 24)),
};

// The mcp subgraph: users' Model Context Protocol servers, their health and their tools.
import { defineSubgraph, isMain, runService } from '@builderai/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { createMcpContext } from './context.js';
import { checkJobsConsumer } from './consumers.js';
import { loadMcpConfig } from './config.js';
import { resolvers } from './resolvers/index.js';
import { setupMcp } from './setup.js';
import { scheduleDueChecks } from './domain/schedule.js';
import { CALLBACK_PATH } from './oauth/authorizations.js';
import { callbackRoute } from './oauth/callback-route.js';
import { refreshDueGrants } from './oauth/scheduled-refresh.js';

const mcp = defineSubgraph({
  name: 'mcp',
  resolvers,
  config: loadMcpConfig,
  database: PrismaClient,
  setup: setupMcp,
  context: createMcpContext,
  // Every session ends with the service (a stdio server's process with it).
  stop: (app) => app.close(),
  consumes: [checkJobsConsumer],
  routes: (app) => ({ [CALLBACK_PATH]: callbackRoute(app) }),
  periodic: (app) => ({
    // Often enough that a due check waits a small part of the interval.
    'schedule-checks': { intervalMs: Math.min(app.config.checkIntervalSeconds * 250, 5000), run: () => scheduleDueChecks(app) },
    // Often enough that a grant is refreshed well before its token expires.
    'refresh-oauth-grants': { intervalMs: Math.min(app.config.checkIntervalSeconds * 1000, 15_000), run: () => refreshDueGrants(app) },
    'close-idle-sessions': { intervalMs: Math.min(app.config.idleCloseSeconds * 250, 30_000), run: () => app.pool.closeIdle() },
  }),
  retention: () => [
    { table: 'connections', column: 'created_at', keepMs: 30 * 86_400_000 },
    { table: 'server_metrics', column: 'created_at', keepMs: 30 * 86_400_000 },
    // Unfinished authorizations live ten minutes; a day more is plenty.
    { table: 'oauth_flows', column: 'created_at', keepMs: 86_400_000 },
  ],
});
export default mcp;

if (isMain(import.meta.url)) void runService(mcp);

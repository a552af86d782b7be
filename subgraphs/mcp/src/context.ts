// What every mcp resolver receives: the request's identity plus the database, its per-request
// loaders, who is asking and the service's shared parts (`app`: the pool, the URL check, the
// key of the secrets it stores).
import { viewerOf, type RequestContext, type ServiceRuntime } from '@builderai/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { McpConfig } from './config.js';
import { createLoaders } from './loaders.js';
import type { setupMcp } from './setup.js';

export type McpRuntime = ServiceRuntime<PrismaClient, McpConfig>;
export type McpApp = McpRuntime & Awaited<ReturnType<typeof setupMcp>>;

export const createMcpContext = (base: RequestContext, app: McpApp) => ({
  ...base,
  db: app.db,
  loaders: createLoaders(app.db),
  viewer: viewerOf(base),
  app,
});

export type McpContext = ReturnType<typeof createMcpContext>;

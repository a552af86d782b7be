// What every chat resolver receives: the request's identity plus the database, its
// per-request loaders, who is asking and the question of project access.
import { viewerOf, type RequestContext, type ServiceRuntime } from '@builderai/kit';
import { projectAccessThroughRouter } from '@builderai/projects/access';
import type { PrismaClient } from './generated/prisma/client.ts';
import { createLoaders } from './loaders.js';

export type ChatRuntime = ServiceRuntime<PrismaClient>;

export const setupChat = ({ router }: ChatRuntime) => ({ projectAccess: projectAccessThroughRouter(router) });

export type ChatApp = ChatRuntime & ReturnType<typeof setupChat>;

export const createChatContext = (base: RequestContext, { db, projectAccess }: ChatApp) => ({
  ...base,
  db,
  loaders: createLoaders(db),
  viewer: viewerOf(base),
  projectAccess,
});

export type ChatContext = ReturnType<typeof createChatContext>;

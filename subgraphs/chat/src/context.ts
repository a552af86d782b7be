// What every chat resolver receives: the request's identity plus the database, its
// per-request loaders, who is asking and the service's shared parts (`app`).
import { viewerOf, type RequestContext, type ServiceRuntime } from '@builderai/kit';
import { projectAccessThroughRouter } from '@builderai/projects/access';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { ChatConfig } from './config.js';
import { createLoaders } from './loaders.js';
import { runningAnswers } from './domain/stopping.js';
import { toolApprovals } from './domain/approvals.js';

export type ChatRuntime = ServiceRuntime<PrismaClient, ChatConfig>;

export const setupChat = async ({ router, infra }: ChatRuntime) => ({
  projectAccess: projectAccessThroughRouter(router),
  answers: await runningAnswers(infra.store, infra.pubsub),
  approvals: await toolApprovals(infra.store, infra.pubsub),
});

export type ChatApp = ChatRuntime & Awaited<ReturnType<typeof setupChat>>;

export const createChatContext = (base: RequestContext, app: ChatApp) => ({
  ...base,
  db: app.db,
  loaders: createLoaders(app.db),
  viewer: viewerOf(base),
  /** The router, project access, config, infrastructure and the outbox's nudge. */
  app,
});

export type ChatContext = ReturnType<typeof createChatContext>;

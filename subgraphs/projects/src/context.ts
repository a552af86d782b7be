// What every projects resolver receives: the request's identity plus the database, its
// per-request loaders, who is asking and the models a project may use.
import type { RequestContext, ServiceRuntime } from '@builderai/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { ProjectsConfig } from './config.js';
import { viewerOf } from './domain/access.js';
import { createLoaders } from './loaders.js';

export type ProjectsApp = ServiceRuntime<PrismaClient, ProjectsConfig>;

// publishEvents: call after committing a change that recorded events, so they go out now.
export const createProjectsContext = (base: RequestContext, { db, config, publishEvents }: ProjectsApp) =>
  ({ ...base, prisma: db, loaders: createLoaders(db), viewer: viewerOf(base), llms: config.llms, publishEvents });

export type ProjectsContext = ReturnType<typeof createProjectsContext>;

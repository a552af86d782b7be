// What every projects resolver receives: the request's identity plus the database, its
// per-request loaders and the models a project may use.
import type { RequestContext } from '@builderai/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { LlmChoice } from './config.js';
import { viewerOf, type Viewer } from './domain/access.js';
import { createLoaders, type ProjectsLoaders } from './loaders.js';

export interface ProjectsContext extends RequestContext {
  prisma: PrismaClient;
  loaders: ProjectsLoaders;
  /** Who is asking, as the access rules see it. */
  viewer: Viewer;
  llms: LlmChoice;
  /** Call after committing a change that recorded events, so they are published now. */
  publishEvents: () => void;
}

export function createProjectsContext(base: RequestContext, prisma: PrismaClient, llms: LlmChoice, publishEvents: () => void): ProjectsContext {
  return { ...base, prisma, loaders: createLoaders(prisma), viewer: viewerOf(base), llms, publishEvents };
}

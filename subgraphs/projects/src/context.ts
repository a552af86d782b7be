// What every projects resolver receives: the request's identity plus the database, its
// per-request loaders, who is asking and the models a project may use.
import { batchBy, type RequestContext, type ServiceRuntime } from '@builderai/kit';
import type { PrismaClient, Project, ProjectConfig } from './generated/prisma/client.ts';
import type { ProjectsConfig } from './config.js';
import { viewerOf } from './domain/access.js';

export type ProjectsApp = ServiceRuntime<PrismaClient, ProjectsConfig>;

export const createProjectsContext = (base: RequestContext, { db, config, publishEvents }: ProjectsApp) => ({
  ...base,
  prisma: db,
  loaders: {
    project: batchBy((row: Project) => row.id, (ids) => db.project.findMany({ where: { id: { in: ids } } })),
    config: batchBy((row: ProjectConfig) => row.projectId, (ids) => db.projectConfig.findMany({ where: { projectId: { in: ids } } })),
  },
  viewer: viewerOf(base),
  llms: config.llms,
  /** Call after committing a change that recorded events, so they are published now. */
  publishEvents,
});

export type ProjectsContext = ReturnType<typeof createProjectsContext>;

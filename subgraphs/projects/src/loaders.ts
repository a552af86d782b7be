// Per-request batching: however many projects one request touches (a page of User.projects,
// the router's _entities), each table costs one SQL query.
import { batchBy } from '@builderai/kit';
import type { PrismaClient, Project, ProjectConfig } from './generated/prisma/client.ts';

export const createLoaders = (db: PrismaClient) => ({
  project: batchBy((row: Project) => row.id, (ids) => db.project.findMany({ where: { id: { in: ids } } })),
  config: batchBy((row: ProjectConfig) => row.projectId, (ids) => db.projectConfig.findMany({ where: { projectId: { in: ids } } })),
});

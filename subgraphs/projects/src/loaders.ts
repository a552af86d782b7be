// Per-request batching: however many projects one request touches (a page of User.projects,
// the router's _entities), each table costs one SQL query.
import DataLoader from 'dataloader';
import type { PrismaClient, Project, ProjectConfig } from './generated/prisma/client.ts';
import { isUuid } from './domain/validation.js';

export interface ProjectsLoaders {
  project: DataLoader<string, Project | null>;
  config: DataLoader<string, ProjectConfig | null>;
}

// One query for all the valid keys of a batch, answered in the order of the keys.
function batched<Row, Value>(
  findMany: (projectIds: string[]) => Promise<Row[]>,
  group: (rows: Row[]) => Map<string, Value>,
  missing: Value,
) {
  return new DataLoader<string, Value>(async (keys) => {
    const valid = [...new Set(keys.filter(isUuid).map((id) => id.toLowerCase()))];
    const byId = group(valid.length > 0 ? await findMany(valid) : []);
    return keys.map((key) => byId.get(key.toLowerCase()) ?? missing);
  });
}

export function createLoaders(db: PrismaClient): ProjectsLoaders {
  return {
    project: batched(
      (ids) => db.project.findMany({ where: { id: { in: ids } } }),
      (rows) => new Map(rows.map((row) => [row.id, row])),
      null,
    ),
    config: batched(
      (ids) => db.projectConfig.findMany({ where: { projectId: { in: ids } } }),
      (rows) => new Map(rows.map((row) => [row.projectId, row])),
      null,
    ),
  };
}

import type { ProjectsContext } from '../context.js';
import { canRead } from '../domain/access.js';
import type { Project as ProjectRow } from '../generated/prisma/client.ts';

export const Project = {
  // The router asks with the user's identity: a project they may not read resolves to null.
  // Batched: one query for every project of the request.
  __resolveReference: async ({ id }: { id: string }, ctx: ProjectsContext): Promise<ProjectRow | null> => {
    const project = await ctx.loaders.project.load(id);
    return project && canRead(ctx.viewer, project.userId) ? project : null;
  },

  owner: (project: ProjectRow) => ({ __typename: 'User', id: project.userId }),

  config: async (project: ProjectRow, _: unknown, ctx: ProjectsContext) => {
    const config = await ctx.loaders.config.load(project.id);
    return { mcpServerIds: config?.mcpServerIds ?? [], settings: config?.settings ?? {} };
  },
};

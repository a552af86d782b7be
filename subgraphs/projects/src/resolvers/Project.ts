import { canRead } from '../domain/access.js';
import type { ProjectResolvers } from '../generated/graphql.js';

export const Project: ProjectResolvers = {
  // The router asks with the user's identity: a project they may not read resolves to null.
  // Batched: one query for every project of the request.
  __resolveReference: async ({ id }, ctx) => {
    const project = await ctx.loaders.project.load(id);
    return project && canRead(ctx.viewer, project.userId) ? project : null;
  },

  owner: (project) => ({ id: project.userId }),

  config: async (project, _, ctx) => {
    const config = await ctx.loaders.config.load(project.id);
    return { mcpServerIds: config?.mcpServerIds ?? [], settings: config?.settings ?? {} };
  },
};

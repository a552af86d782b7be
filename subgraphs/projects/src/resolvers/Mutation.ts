import { requireUser } from '@builderai/kit';
import type { ProjectsContext } from '../context.js';
import { createProject, deleteProject, duplicateProject, updateProject, updateProjectConfig } from '../domain/projects.js';
import { moveProject, type UserAction } from '../domain/status-changes.js';
import type { Project } from '../generated/prisma/client.ts';
import type { MutationResolvers } from '../generated/graphql.js';

// The answer shows the project just written, even if this request loaded it before.
function remember(ctx: ProjectsContext, project: Project): Project {
  ctx.loaders.project.clear(project.id).prime(project.id, project);
  return project;
}

// Every mutation commits first, then has its recorded events published at once.
function move(action: UserAction) {
  return async (_: unknown, { id }: { id: string }, ctx: ProjectsContext): Promise<Project> => {
    requireUser(ctx);
    const project = await moveProject(ctx.prisma, ctx.viewer, id, action);
    ctx.publishEvents();
    return remember(ctx, project);
  };
}

export const Mutation: MutationResolvers = {
  createProject: async (_, { input }, ctx) => {
    requireUser(ctx);
    const project = await createProject(ctx.prisma, ctx.viewer.userId!, input, ctx.llms);
    ctx.publishEvents();
    return remember(ctx, project);
  },

  updateProject: async (_, { id, input }, ctx) => {
    requireUser(ctx);
    const project = await updateProject(ctx.prisma, ctx.viewer, id, input, ctx.llms);
    ctx.publishEvents();
    return remember(ctx, project);
  },

  updateProjectConfig: async (_, { id, input }, ctx) => {
    requireUser(ctx);
    const { project, config } = await updateProjectConfig(ctx.prisma, ctx.viewer, id, input);
    ctx.publishEvents();
    ctx.loaders.config.clear(project.id).prime(project.id, config);
    return remember(ctx, project);
  },

  publishProject: move('publish'),
  unpublishProject: move('unpublish'),
  archiveProject: move('archive'),
  restoreProject: move('restore'),

  duplicateProject: async (_, { id }, ctx) => {
    requireUser(ctx);
    const copy = await duplicateProject(ctx.prisma, ctx.viewer, id);
    ctx.publishEvents();
    return remember(ctx, copy);
  },

  deleteProject: async (_, { id }, ctx) => {
    requireUser(ctx);
    const deletedId = await deleteProject(ctx.prisma, ctx.viewer, id);
    ctx.publishEvents();
    ctx.loaders.project.clear(deletedId).prime(deletedId, null);
    return deletedId;
  },
};

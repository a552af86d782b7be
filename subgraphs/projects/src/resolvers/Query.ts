import { requireUser } from '@builderai/kit';
import type { ProjectsContext } from '../context.js';
import { readable } from '../domain/access.js';
import type { Project } from '../generated/prisma/client.ts';

export const Query = {
  // Someone else's project is NOT_FOUND, exactly like one that does not exist.
  project: async (_: unknown, { id }: { id: string }, ctx: ProjectsContext): Promise<Project> => {
    requireUser(ctx);
    return readable(ctx.viewer, await ctx.loaders.project.load(id));
  },
};

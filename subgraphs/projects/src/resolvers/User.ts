import type { ProjectsContext } from '../context.js';
import { canRead } from '../domain/access.js';
import { emptyPage, listProjects, type ListProjectsArgs, type ProjectPage } from '../domain/listing.js';
import { isUuid } from '../domain/validation.js';

/** A User as this subgraph knows it: the key the users subgraph owns. */
export interface UserRef {
  id: string;
}

export const User = {
  // Only the user themself (or an admin) sees their projects; anyone else an empty list,
  // which says nothing about whether there are any.
  projects: (user: UserRef, args: ListProjectsArgs, ctx: ProjectsContext): Promise<ProjectPage> | ProjectPage => {
    const userId = user.id.toLowerCase();
    return isUuid(userId) && canRead(ctx.viewer, userId) ? listProjects(ctx.prisma, userId, args) : emptyPage();
  },
};

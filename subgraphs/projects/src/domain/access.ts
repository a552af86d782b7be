// Who may see and change a project. Its owner may do both and admins may read it; anyone
// else is told it does not exist, never that it belongs to someone else.
import { forbidden, hasRole, notFound, type RequestContext } from '@builderai/kit';

export interface Viewer {
  /** Undefined when anonymous. */
  userId: string | undefined;
  isAdmin: boolean;
}

// User ids are UUIDs, stored (and compared) lowercase.
export const viewerOf = (ctx: RequestContext): Viewer => ({ userId: ctx.identity.userId?.toLowerCase(), isAdmin: hasRole(ctx, 'ADMIN') });

const owns = (viewer: Viewer, ownerId: string) => viewer.userId !== undefined && viewer.userId === ownerId;

/** Whose projects a viewer may list and read: their own, or anyone's for an admin. */
export const canRead = (viewer: Viewer, ownerId: string) => owns(viewer, ownerId) || viewer.isAdmin;

/** The project if the viewer may read it; NOT_FOUND otherwise, as if it did not exist. */
export function readable<P extends { userId: string }>(viewer: Viewer, project: P | null): P {
  if (!project || !canRead(viewer, project.userId)) throw notFound('Project');
  return project;
}

/**
 * The project if the viewer owns it. Admins may read others' projects but not change them
 * (FORBIDDEN: they know it exists); anyone else gets NOT_FOUND.
 */
export function changeable<P extends { userId: string }>(viewer: Viewer, project: P | null): P {
  const visible = readable(viewer, project);
  if (!owns(viewer, visible.userId)) throw forbidden('Only the owner may change a project');
  return visible;
}

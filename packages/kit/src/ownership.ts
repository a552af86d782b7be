// Who may see and change a user's own things (a project, a conversation): their owner may do
// both and admins may read them; anyone else is told they do not exist, never that they
// belong to someone else.
import type { RequestContext } from './context.js';
import { hasRole } from './context.js';
import { forbidden, notFound } from './errors.js';

export interface Viewer {
  /** Undefined when anonymous. */
  userId: string | undefined;
  isAdmin: boolean;
}

// User ids are UUIDs, stored (and compared) lowercase.
export const viewerOf = (ctx: RequestContext): Viewer => ({ userId: ctx.identity.userId?.toLowerCase(), isAdmin: hasRole(ctx, 'ADMIN') });

const owns = (viewer: Viewer, ownerId: string) => viewer.userId !== undefined && viewer.userId === ownerId;

/** Whose things a viewer may list and read: their own, or anyone's for an admin. */
export const canRead = (viewer: Viewer, ownerId: string) => owns(viewer, ownerId) || viewer.isAdmin;

/** The row if the viewer may read it; NOT_FOUND (`what` not found) otherwise, as if it did not exist. */
export function readable<R extends { userId: string }>(viewer: Viewer, row: R | null | undefined, what: string): R {
  if (!row || !canRead(viewer, row.userId)) throw notFound(what);
  return row;
}

/**
 * The row if the viewer owns it. Admins may read others' but not change them (FORBIDDEN: they
 * know it exists); anyone else gets NOT_FOUND.
 */
export function changeable<R extends { userId: string }>(viewer: Viewer, row: R | null | undefined, what: string): R {
  const visible = readable(viewer, row, what);
  if (!owns(viewer, visible.userId)) throw forbidden(`Only the owner may change a ${what.toLowerCase()}`);
  return visible;
}

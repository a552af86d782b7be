// Who is an administrator. There is no API to grant the first one: operators run
// `npm run user:role -- <email> ADMIN` (scripts/set-role.ts) against the auth database.
// Taking the role away ends the user's sessions, since their access tokens still carry it.
import type { PrismaClient, Role, User } from '../generated/prisma/client.ts';
import { authEvents } from '../events.js';
import { revokeSessions } from './sessions.js';
import { normalizeEmail } from './validation.js';

export const ROLES: readonly Role[] = ['USER', 'ADMIN'];

export interface RoleChange {
  user: User;
  changed: boolean;
  /** Sessions ended by a demotion; flag them for the router after this returns. */
  revokedSessionIds: string[];
}

/** Sets the role of the account with this email; undefined when there is none. */
export async function setRole(prisma: PrismaClient, email: string, role: Role): Promise<RoleChange | undefined> {
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: normalizeEmail(email) } });
    if (!user) return undefined;
    if (user.role === role) return { user, changed: false, revokedSessionIds: [] };
    const updated = await tx.user.update({ where: { id: user.id }, data: { role } });
    await authEvents.record(tx, 'auth.user.role_changed', { userId: user.id, role });
    const demoted = user.role === 'ADMIN';
    const revokedSessionIds = demoted ? await revokeSessions(tx, { userId: user.id }, 'role_changed') : [];
    return { user: updated, changed: true, revokedSessionIds };
  });
}

// Every change to a project runs in a transaction holding the project's row lock, so two
// changes of one project (a user's and an event's, say) happen one after the other and each
// decides on what the other left.
import type { Prisma, PrismaClient, Project } from '../generated/prisma/client.ts';
import { changeable, type Viewer } from './access.js';
import { isUuid } from '@builderai/kit';

export type Tx = Prisma.TransactionClient;

/** The project, locked until the transaction ends; null when there is none. */
export async function lockProject(tx: Tx, projectId: string): Promise<Project | null> {
  if (!isUuid(projectId)) return null;
  await tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId}::uuid FOR UPDATE`;
  return tx.project.findUnique({ where: { id: projectId } });
}

/** Runs `change` on the locked project once the viewer may change it (NOT_FOUND otherwise). */
export function changeProject<T>(db: PrismaClient, viewer: Viewer, projectId: string, change: (tx: Tx, project: Project) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => change(tx, changeable(viewer, await lockProject(tx, projectId))));
}

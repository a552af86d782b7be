// Moving projects through their lifecycle (domain/lifecycle.ts decides what is allowed):
// users with mutations, chat with its generation events.
import type { Logger } from '@builderai/kit';
import type { PrismaClient, Project } from '../generated/prisma/client.ts';
import type { Viewer } from './access.js';
import { requireTransition, transition, type LifecycleAction, type LifecycleState } from './lifecycle.js';
import { changeProject, lockProject, type Tx } from './locking.js';
import { projectsEvents } from '../events.js';

/** Writes the new lifecycle state and announces the status change, in the caller's transaction. */
async function applyState(tx: Tx, project: Project, next: LifecycleState): Promise<Project> {
  const updated = await tx.project.update({ where: { id: project.id }, data: next });
  await projectsEvents.record(tx, 'projects.project.status_changed', { projectId: project.id, userId: project.userId, from: project.status, to: next.status });
  return updated;
}

export type UserAction = Extract<LifecycleAction, 'publish' | 'unpublish' | 'archive' | 'restore'>;

/** A user's move of their project; a move its status does not allow is BAD_USER_INPUT and changes nothing. */
export function moveProject(db: PrismaClient, viewer: Viewer, projectId: string, action: UserAction): Promise<Project> {
  return changeProject(db, viewer, projectId, (tx, project) => applyState(tx, project, requireTransition(project, action)));
}

export type GenerationAction = Extract<LifecycleAction, 'startGeneration' | 'completeGeneration' | 'failGeneration'>;

/**
 * Applies a generation event of chat to the user's project, in the event's transaction. An
 * event for a project that is gone or someone else's, or whose move the status does not
 * allow (e.g. the project was archived meanwhile), is logged and dropped: retrying it would
 * never succeed.
 */
export async function applyGenerationEvent(
  tx: Tx,
  event: { projectId: string; userId: string; action: GenerationAction; eventId: string },
  log: Logger,
): Promise<void> {
  const project = await lockProject(tx, event.projectId);
  const context = { eventId: event.eventId, projectId: event.projectId, action: event.action };
  if (!project || project.userId !== event.userId.toLowerCase()) {
    log.warn(context, 'dropped a generation event: no such project of this user');
    return;
  }
  const next = transition(project, event.action);
  if (!next) {
    log.warn({ ...context, status: project.status }, 'dropped a generation event: the project status does not allow it');
    return;
  }
  await applyState(tx, project, next);
}

// Moving projects through their lifecycle (domain/lifecycle.ts decides what is allowed):
// users with mutations, chat with its generation events.
import type { Logger } from '@builderai/kit';
import type { PrismaClient, Project } from '../generated/prisma/client.ts';
import type { Viewer } from './access.js';
import { lifecycleStateOf, requireTransition, transition, type LifecycleAction, type LifecycleState } from './lifecycle.js';
import { changeProject, lockProject, type Tx } from './locking.js';
import { projectsEvents } from '../events.js';

/** Writes the new lifecycle state and announces a change of status, in the caller's transaction. */
async function applyState(tx: Tx, project: Project, next: LifecycleState): Promise<Project> {
  const updated = await tx.project.update({ where: { id: project.id }, data: next });
  if (next.status !== project.status) {
    await projectsEvents.record(tx, 'projects.project.status_changed', { projectId: project.id, userId: project.userId, from: project.status, to: next.status });
  }
  return updated;
}

export type UserAction = Extract<LifecycleAction, 'publish' | 'unpublish' | 'archive' | 'restore'>;

/** A user's move of their project; a move its status does not allow is BAD_USER_INPUT and changes nothing. */
export function moveProject(db: PrismaClient, viewer: Viewer, projectId: string, action: UserAction): Promise<Project> {
  return changeProject(db, viewer, projectId, (tx, project) => applyState(tx, project, requireTransition(project, action)));
}

export type GenerationAction = Extract<LifecycleAction, 'startGeneration' | 'completeGeneration' | 'failGeneration'>;

/**
 * Applies a generation event of chat to the user's project, in the event's transaction. Each
 * generation (chat's answer message id) is remembered with its state, so the project is
 * GENERATING while any runs, and a start heard after the end (a retried delivery) or twice (a
 * job taken again) changes nothing; an end whose start was never heard still settles the project.
 * An event for a project that is gone or someone else's, or whose move the status does not
 * allow (e.g. the project was archived meanwhile), is logged and dropped: retrying it would
 * never succeed.
 */
export async function applyGenerationEvent(
  tx: Tx,
  event: { projectId: string; userId: string; generationId: string; action: GenerationAction; eventId: string },
  log: Logger,
): Promise<void> {
  const project = await lockProject(tx, event.projectId);
  const context = { eventId: event.eventId, projectId: event.projectId, generationId: event.generationId, action: event.action };
  if (!project || project.userId !== event.userId.toLowerCase()) {
    log.warn(context, 'dropped a generation event: no such project of this user');
    return;
  }
  const key = { projectId_generationId: { projectId: project.id, generationId: event.generationId } };
  const known = await tx.projectGeneration.findUnique({ where: key });
  const now = new Date();

  if (event.action === 'startGeneration') {
    if (known) return; // running already (a job taken again), or ended before its start arrived
    const next = project.status === 'GENERATING' ? lifecycleStateOf(project) : transition(project, 'startGeneration', now);
    if (!next) {
      log.warn({ ...context, status: project.status }, 'dropped a generation event: the project status does not allow it');
      return;
    }
    await tx.projectGeneration.create({ data: { projectId: project.id, generationId: event.generationId, state: 'RUNNING', startedAt: now } });
    await applyState(tx, project, next);
    return;
  }

  if (known && known.state !== 'RUNNING') return; // ended already
  const state = event.action === 'completeGeneration' ? 'COMPLETED' : 'FAILED';
  await tx.projectGeneration.upsert({ where: key, create: { projectId: project.id, generationId: event.generationId, state, endedAt: now }, update: { state, endedAt: now } });
  const stillRunning = await tx.projectGeneration.count({ where: { projectId: project.id, state: 'RUNNING' } });
  if (stillRunning > 0) {
    // Another generation of the project runs on: it stays GENERATING, with what this one made.
    if (state === 'COMPLETED') await tx.project.update({ where: { id: project.id }, data: { generatedAt: now } });
    return;
  }
  const next = transition(project, event.action, now);
  if (!next) {
    log.warn({ ...context, status: project.status }, 'dropped a generation event: the project status does not allow it');
    return;
  }
  await applyState(tx, project, next);
}

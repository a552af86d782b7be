// The lifecycle of a project as a state machine. TRANSITIONS is the one place that says which
// move a project may make from which status:
//   DRAFT → GENERATING → READY → PUBLISHED         the way up
//   GENERATING → DRAFT or READY                    a failed generation goes back
//   DRAFT or READY → READY                          a generation completed whose start was not heard
//   READY → GENERATING                             regenerate
//   PUBLISHED → READY                              unpublish
//   any but ARCHIVED → ARCHIVED → the status it had    archive, restore
// Users move projects with mutations (publish, unpublish, archive, restore); only chat's
// events start and end generations.
import { badUserInput } from '@builderai/kit';
import type { ProjectStatus } from '../generated/prisma/client.ts';

export type { ProjectStatus };

export const PROJECT_STATUSES: readonly ProjectStatus[] = ['DRAFT', 'GENERATING', 'READY', 'PUBLISHED', 'ARCHIVED'];

/** The columns a lifecycle move reads and writes. */
export interface LifecycleState {
  status: ProjectStatus;
  /** The status restore returns to; set only while ARCHIVED. */
  statusBeforeArchive: ProjectStatus | null;
  /** When a generation last completed. */
  generatedAt: Date | null;
  archivedAt: Date | null;
}

export type LifecycleAction = 'startGeneration' | 'completeGeneration' | 'failGeneration' | 'publish' | 'unpublish' | 'archive' | 'restore';

interface Transition {
  from: readonly ProjectStatus[];
  apply: (state: LifecycleState, now: Date) => LifecycleState;
}

/**
 * Where a project stands when no generation runs: READY once a generation has completed,
 * DRAFT before. A failed generation returns there.
 */
export function settledStatus(state: Pick<LifecycleState, 'generatedAt'>): ProjectStatus {
  return state.generatedAt ? 'READY' : 'DRAFT';
}

/**
 * The status restore returns an archived project to: the one it was archived in. A project
 * archived mid-generation comes back settled: the generation's outcome was not applied while
 * it was archived, and nothing else would ever end GENERATING.
 */
export function restoredStatus(state: LifecycleState): ProjectStatus {
  const before = state.statusBeforeArchive ?? settledStatus(state);
  return before === 'GENERATING' ? settledStatus(state) : before;
}

export const TRANSITIONS: Readonly<Record<LifecycleAction, Transition>> = {
  startGeneration: { from: ['DRAFT', 'READY'], apply: (state) => ({ ...state, status: 'GENERATING' }) },
  completeGeneration: { from: ['DRAFT', 'GENERATING', 'READY'], apply: (state, now) => ({ ...state, status: 'READY', generatedAt: now }) },
  failGeneration: { from: ['GENERATING'], apply: (state) => ({ ...state, status: settledStatus(state) }) },
  publish: { from: ['READY'], apply: (state) => ({ ...state, status: 'PUBLISHED' }) },
  unpublish: { from: ['PUBLISHED'], apply: (state) => ({ ...state, status: 'READY' }) },
  archive: {
    from: ['DRAFT', 'GENERATING', 'READY', 'PUBLISHED'],
    apply: (state, now) => ({ ...state, status: 'ARCHIVED', statusBeforeArchive: state.status, archivedAt: now }),
  },
  restore: {
    from: ['ARCHIVED'],
    apply: (state) => ({ ...state, status: restoredStatus(state), statusBeforeArchive: null, archivedAt: null }),
  },
};

const VERB: Record<LifecycleAction, string> = {
  startGeneration: 'start generating',
  completeGeneration: 'complete the generation of',
  failGeneration: 'fail the generation of',
  publish: 'publish',
  unpublish: 'unpublish',
  archive: 'archive',
  restore: 'restore',
};

export const lifecycleStateOf = ({ status, statusBeforeArchive, generatedAt, archivedAt }: LifecycleState): LifecycleState => ({
  status,
  statusBeforeArchive,
  generatedAt,
  archivedAt,
});

/** The state after `action`, or undefined when the project's status does not allow it. */
export function transition(state: LifecycleState, action: LifecycleAction, now: Date = new Date()): LifecycleState | undefined {
  const { from, apply } = TRANSITIONS[action];
  return from.includes(state.status) ? apply(lifecycleStateOf(state), now) : undefined;
}

/** Like transition, but a forbidden move is BAD_USER_INPUT (and changes nothing). */
export function requireTransition(state: LifecycleState, action: LifecycleAction, now: Date = new Date()): LifecycleState {
  const next = transition(state, action, now);
  if (!next) throw badUserInput(`Cannot ${VERB[action]} a ${state.status} project`);
  return next;
}

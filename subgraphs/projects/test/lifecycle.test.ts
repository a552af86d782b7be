import { GraphQLError } from 'graphql';
import {
  PROJECT_STATUSES,
  TRANSITIONS,
  requireTransition,
  restoredStatus,
  transition,
  type LifecycleAction,
  type LifecycleState,
  type ProjectStatus,
} from '../src/domain/lifecycle.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const EARLIER = new Date('2026-04-01T12:00:00Z');
const ACTIONS = Object.keys(TRANSITIONS) as LifecycleAction[];

const state = (status: ProjectStatus, extra: Partial<LifecycleState> = {}): LifecycleState => ({
  status,
  statusBeforeArchive: null,
  generatedAt: null,
  archivedAt: null,
  ...extra,
});

// Every state a project can be in that matters to the lifecycle: each status, generated or
// not, and an archived project for each status it may have been archived in.
function everyState(): LifecycleState[] {
  const states: LifecycleState[] = [];
  for (const generatedAt of [null, EARLIER]) {
    for (const status of PROJECT_STATUSES) {
      if (status !== 'ARCHIVED') states.push(state(status, { generatedAt }));
      else for (const before of PROJECT_STATUSES.filter((s) => s !== 'ARCHIVED')) states.push(state(status, { generatedAt, statusBeforeArchive: before, archivedAt: EARLIER }));
    }
  }
  return states;
}

describe('project lifecycle', () => {
  it('allows exactly the agreed moves between statuses', () => {
    const moves = new Set<string>();
    for (const from of everyState()) {
      for (const action of ACTIONS) {
        const next = transition(from, action, NOW);
        if (next) moves.add(`${from.status} → ${next.status}`);
      }
    }
    expect([...moves].sort()).toEqual(
      [
        'DRAFT → GENERATING',
        'DRAFT → READY',
        'READY → READY',
        'GENERATING → READY',
        'GENERATING → DRAFT',
        'READY → GENERATING',
        'READY → PUBLISHED',
        'PUBLISHED → READY',
        'DRAFT → ARCHIVED',
        'GENERATING → ARCHIVED',
        'READY → ARCHIVED',
        'PUBLISHED → ARCHIVED',
        'ARCHIVED → DRAFT',
        'ARCHIVED → READY',
        'ARCHIVED → PUBLISHED',
      ].sort(),
    );
  });

  it.each([
    ['startGeneration', 'DRAFT', 'GENERATING'],
    ['startGeneration', 'READY', 'GENERATING'],
    ['completeGeneration', 'GENERATING', 'READY'],
    // A generation whose start was not heard (its event came late) still completes the project.
    ['completeGeneration', 'DRAFT', 'READY'],
    ['publish', 'READY', 'PUBLISHED'],
    ['unpublish', 'PUBLISHED', 'READY'],
  ] as const)('%s moves %s to %s', (action, from, to) => {
    expect(transition(state(from), action, NOW)?.status).toBe(to);
  });

  it.each([
    ['publish', 'DRAFT'],
    ['publish', 'GENERATING'],
    ['publish', 'PUBLISHED'],
    ['unpublish', 'READY'],
    ['unpublish', 'GENERATING'],
    ['startGeneration', 'GENERATING'],
    ['startGeneration', 'PUBLISHED'],
    ['startGeneration', 'ARCHIVED'],
    ['completeGeneration', 'PUBLISHED'],
    ['completeGeneration', 'ARCHIVED'],
    ['failGeneration', 'READY'],
    ['archive', 'ARCHIVED'],
    ['restore', 'READY'],
  ] as const)('refuses to %s a %s project', (action, from) => {
    expect(transition(state(from), action, NOW)).toBeUndefined();
    let error: unknown;
    try {
      requireTransition(state(from), action, NOW);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
  });

  it('records when a generation completed, and a failed one goes back to where the last left it', () => {
    const generated = transition(state('GENERATING'), 'completeGeneration', NOW)!;
    expect(generated).toMatchObject({ status: 'READY', generatedAt: NOW });
    expect(transition(state('GENERATING'), 'failGeneration', NOW)).toMatchObject({ status: 'DRAFT', generatedAt: null });
    expect(transition(state('GENERATING', { generatedAt: EARLIER }), 'failGeneration', NOW)).toMatchObject({ status: 'READY', generatedAt: EARLIER });
  });

  it('archives any other status, and restores the status it was archived in', () => {
    for (const status of ['DRAFT', 'READY', 'PUBLISHED'] as const) {
      const archived = transition(state(status, { generatedAt: EARLIER }), 'archive', NOW)!;
      expect(archived).toMatchObject({ status: 'ARCHIVED', statusBeforeArchive: status, archivedAt: NOW });
      expect(transition(archived, 'restore', NOW)).toEqual({ status, statusBeforeArchive: null, generatedAt: EARLIER, archivedAt: null });
    }
  });

  it('restores a project archived mid-generation as settled, never GENERATING', () => {
    const neverGenerated = transition(state('GENERATING'), 'archive', NOW)!;
    expect(transition(neverGenerated, 'restore', NOW)?.status).toBe('DRAFT');
    const regenerating = transition(state('GENERATING', { generatedAt: EARLIER }), 'archive', NOW)!;
    expect(transition(regenerating, 'restore', NOW)?.status).toBe('READY');
    expect(restoredStatus(state('ARCHIVED'))).toBe('DRAFT');
  });

  it('keeps only the lifecycle columns of a row it is given', () => {
    const row = { ...state('READY'), id: 'x', name: 'kept out' };
    expect(Object.keys(transition(row, 'publish', NOW)!).sort()).toEqual(['archivedAt', 'generatedAt', 'status', 'statusBeforeArchive']);
  });
});

// Everything the projects service exchanges over the event bus, in one place.
//
// Publishes (through its outbox, in the transaction of the change; domain/project-events.ts):
//   projects.project.created         { projectId, userId, name }
//   projects.project.updated         { projectId, userId }
//   projects.project.status_changed  { projectId, userId, from, to }
//   projects.project.deleted         { projectId, userId }
//   projects.project.duplicated      { projectId, sourceProjectId, userId }
//
// Consumes, on the durable queue `projects.chat-events`:
//   chat.generation.started    { projectId, userId }  → GENERATING
//   chat.generation.completed  { projectId, userId }  → READY
//   chat.generation.failed     { projectId, userId }  → back to DRAFT or READY
// A project's files are the files service's own (it adds Project.files to the graph).
import { z } from 'zod';
import { handleOnce, type EventBus, type EventEnvelope, type Logger, type RawSql, type Subscription } from '@builderai/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import { applyGenerationEvent, type GenerationAction } from './domain/status-changes.js';
import type { Tx } from './domain/locking.js';

export * from './domain/project-events.js';

export const CHAT_EVENTS_QUEUE = 'projects.chat-events';

export const GENERATION_STARTED = 'chat.generation.started';
export const GENERATION_COMPLETED = 'chat.generation.completed';
export const GENERATION_FAILED = 'chat.generation.failed';

const GENERATION_ACTIONS = new Map<string, GenerationAction>([
  [GENERATION_STARTED, 'startGeneration'],
  [GENERATION_COMPLETED, 'completeGeneration'],
  [GENERATION_FAILED, 'failGeneration'],
]);

// Consumer names in processed_events: one per effect, so each is applied once.
const ON_GENERATION = 'projects.status-on-generation';

const generationPayload = z.object({
  projectId: z.string().uuid(),
  userId: z.string().uuid(),
});

// handleOnce runs the work in this service's own Prisma interactive transaction.
const asPrismaTx = (tx: RawSql) => tx as Tx;

async function onGenerationEvent(db: PrismaClient, event: EventEnvelope, action: GenerationAction, logger: Logger): Promise<void> {
  const { projectId, userId } = generationPayload.parse(event.payload);
  await handleOnce(db, ON_GENERATION, event, (tx) =>
    applyGenerationEvent(asPrismaTx(tx), { projectId, userId, action, eventId: event.id }, logger),
  );
}

/**
 * Starts consuming chat's generation events. A handler that throws
 * (a malformed payload, the database being down) has its event retried with backoff, then
 * dead-lettered.
 */
export async function consumeEvents(bus: EventBus, db: PrismaClient, logger: Logger): Promise<Subscription[]> {
  const chat = await bus.consume({
    queue: CHAT_EVENTS_QUEUE,
    patterns: [GENERATION_STARTED, GENERATION_COMPLETED, GENERATION_FAILED],
    handler: async (event) => {
      const action = GENERATION_ACTIONS.get(event.type);
      if (action) await onGenerationEvent(db, event, action, logger);
      else logger.warn({ type: event.type, eventId: event.id }, 'ignored an event of an unexpected type');
    },
  });
  return [chat];
}

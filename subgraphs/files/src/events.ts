// Everything the files service exchanges over the event bus, in one place.
//
// Publishes (through its outbox, in the transaction of the change):
//   files.file.uploaded  FileUploadedPayload  a file became READY (upload completed, or copied with a project)
//   files.file.deleted   FileDeletedPayload   a READY file is gone (deleted, replaced, or its project deleted)
//
// Consumes, on the durable queue `files.project-events`:
//   projects.project.deleted     { projectId, userId }                   → delete the project's files (objects, rows, quota)
//   projects.project.duplicated  { projectId, sourceProjectId, userId }  → copy the source project's READY files into the new one
import { z } from 'zod';
import { handleOnce, type EventBus, type EventEnvelope, type Subscription } from '@builderai/kit';
import type { FilesDeps } from './deps.js';
import type { Tx } from './domain/db.js';
import { copyProjectFiles } from './domain/duplication.js';
import { removeProjectFiles } from './domain/files.js';
import { deleteObjectsNow } from './domain/object-deletions.js';

export {
  FILE_DELETED,
  FILE_UPLOADED,
  type FileDeletedPayload,
  type FileUploadedPayload,
} from './domain/file-events.js';

export const PROJECT_EVENTS_QUEUE = 'files.project-events';
export const PROJECT_DELETED = 'projects.project.deleted';
export const PROJECT_DUPLICATED = 'projects.project.duplicated';

// Consumer names in processed_events: one per effect, so each is applied once.
const ON_PROJECT_DELETED = 'files.delete-on-project-deleted';
const ON_PROJECT_DUPLICATED = 'files.copy-on-project-duplicated';

const deletedPayload = z.object({
  projectId: z.string().uuid(),
  userId: z.string().uuid(),
});

const duplicatedPayload = z.object({
  projectId: z.string().uuid(),
  sourceProjectId: z.string().uuid(),
  userId: z.string().uuid(),
});

// handleOnce runs its work inside db.$transaction, so the client it passes is this service's
// Prisma transaction client.
const once = (deps: FilesDeps, consumer: string, event: EventEnvelope, work: (tx: Tx) => Promise<void>) =>
  handleOnce(deps.db, consumer, event, (tx) => work(tx as unknown as Tx));

async function wasProcessed(deps: FilesDeps, consumer: string, event: EventEnvelope): Promise<boolean> {
  return (await deps.db.processedEvent.count({ where: { eventId: event.id, consumer } })) > 0;
}

async function onProjectDeleted(deps: FilesDeps, event: EventEnvelope): Promise<void> {
  const { projectId } = deletedPayload.parse(event.payload);
  let keys: string[] = [];
  await once(deps, ON_PROJECT_DELETED, event, async (tx) => {
    keys = await removeProjectFiles(tx, projectId);
  });
  await deleteObjectsNow(deps.db, deps.storage, deps.logger, keys);
  deps.publishEvents();
}

async function onProjectDuplicated(deps: FilesDeps, event: EventEnvelope): Promise<void> {
  const duplication = duplicatedPayload.parse(event.payload);
  // A redelivery of a handled event need not copy anything before handleOnce skips it.
  if (await wasProcessed(deps, ON_PROJECT_DUPLICATED, event)) return;
  await copyProjectFiles(deps, duplication, (work) => once(deps, ON_PROJECT_DUPLICATED, event, work));
}

/**
 * Starts consuming the projects service's events. A handler that throws (a malformed payload,
 * storage or the database being down) has its event retried with backoff, then dead-lettered.
 */
export function consumeProjectEvents(bus: EventBus, deps: FilesDeps): Promise<Subscription> {
  return bus.consume({
    queue: PROJECT_EVENTS_QUEUE,
    patterns: [PROJECT_DELETED, PROJECT_DUPLICATED],
    handler: async (event) => {
      if (event.type === PROJECT_DELETED) await onProjectDeleted(deps, event);
      else if (event.type === PROJECT_DUPLICATED) await onProjectDuplicated(deps, event);
      else deps.logger.warn({ type: event.type, eventId: event.id }, 'ignored an event of an unexpected type');
    },
  });
}

// The events the files service consumes, on the durable queue `files.project-events`.
import { consumer, handleOnce, wasHandled } from '@builderai/kit';
import { projectsEvents } from '@builderai/projects/events';
import type { FilesDeps } from './deps.js';
import { copyProjectFiles } from './domain/duplication.js';
import { removeProjectFiles } from './domain/files.js';
import { deleteObjectsNow } from './domain/object-deletions.js';

// Consumer names in processed_events: one per effect, so each is applied once.
const ON_PROJECT_DELETED = 'files.delete-on-project-deleted';
const ON_PROJECT_DUPLICATED = 'files.copy-on-project-duplicated';

export const projectEventsConsumer = consumer(projectsEvents, 'files.project-events', {
  /** The project's files go: objects, rows and their quota. */
  'projects.project.deleted': async ({ projectId }, event, deps: FilesDeps) => {
    let keys: string[] = [];
    await handleOnce(deps.db, ON_PROJECT_DELETED, event, async (tx) => {
      keys = await removeProjectFiles(tx, projectId);
    });
    await deleteObjectsNow(deps.db, deps.storage, deps.logger, keys);
    deps.publishEvents();
  },
  /** The source project's READY files are copied into the new one. */
  'projects.project.duplicated': async (duplication, event, deps: FilesDeps) => {
    // A redelivery of a handled event need not copy anything before handleOnce skips it.
    if (await wasHandled(deps.db, ON_PROJECT_DUPLICATED, event)) return;
    await copyProjectFiles(deps, duplication, (work) => handleOnce(deps.db, ON_PROJECT_DUPLICATED, event, work));
  },
});

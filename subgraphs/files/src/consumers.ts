// The events the files service consumes, on the durable queue `files.project-events`.
import { consumer, handleOnce, wasHandled } from '@builderai/kit';
import { projectsEvents } from '@builderai/projects/events';
import type { FilesDeps } from './deps.js';
import { copyProjectFiles } from './domain/duplication.js';
import { afterRemovals, removeProjectFiles, type Removal } from './domain/files.js';

// Consumer names in processed_events: one per effect, so each is applied once.
const ON_PROJECT_DELETED = 'files.delete-on-project-deleted';
const ON_PROJECT_DUPLICATED = 'files.copy-on-project-duplicated';

export const projectEventsConsumer = consumer(projectsEvents, 'files.project-events', {
  /** The project's files and checkpoints go, and with them the content nothing else holds: objects and quota. */
  'projects.project.deleted': async ({ projectId }, event, deps: FilesDeps) => {
    let removal: Removal | undefined;
    await handleOnce(deps.db, ON_PROJECT_DELETED, event, async (tx) => {
      removal = await removeProjectFiles(tx, projectId);
    });
    await afterRemovals(deps, ...(removal ? [removal] : []));
  },
  /** The source project's READY files are copied into the new one. */
  'projects.project.duplicated': async (duplication, event, deps: FilesDeps) => {
    // A redelivery of a handled event need not copy anything before handleOnce skips it.
    if (await wasHandled(deps.db, ON_PROJECT_DUPLICATED, event)) return;
    await copyProjectFiles(deps, duplication, (work) => handleOnce(deps.db, ON_PROJECT_DUPLICATED, event, work));
  },
});

// The events the chat service consumes, on the durable queue `chat.project-events`.
import { consumer, handleOnce } from '@builderai/kit';
import { projectsEvents } from '@builderai/projects/events';
import type { ChatApp } from './context.js';

// Consumer names in processed_events: one per effect, so each is applied once.
const ON_PROJECT_DELETED = 'chat.delete-on-project-deleted';

export const projectEventsConsumer = consumer(projectsEvents, 'chat.project-events', {
  /** A deleted project's conversations go, with their messages. */
  'projects.project.deleted': async ({ projectId }, event, app: ChatApp) => {
    await handleOnce(app.db, ON_PROJECT_DELETED, event, async (tx) => {
      await tx.conversation.deleteMany({ where: { projectId } });
    });
  },
});

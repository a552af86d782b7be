// The events the chat service consumes: the projects it talks about (`chat.project-events`),
// and its own answer jobs (`chat.answers`), which any chat instance may take.
import { consumer, handleOnce } from '@builderai/kit';
import { projectsEvents } from '@builderai/projects/events';
import { chatEvents } from './events.js';
import type { ChatApp } from './context.js';
import { writeAnswer } from './domain/generation.js';

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

// The job is done when its message is no longer PENDING or STREAMING: a redelivery (a worker
// that died mid-answer) starts the answer again, one that finished is skipped.
export const answerJobsConsumer = consumer(chatEvents, 'chat.answers', {
  'chat.answer.requested': async (job, _event, app: ChatApp) => writeAnswer({ ...app, streams: app.infra.streams }, job),
});

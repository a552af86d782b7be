// The events the projects service consumes, on the durable queue `projects.chat-events`:
// chat's generations move a project to GENERATING, then READY or back.
import { consumer, handleOnce, type EventEnvelope } from '@builderai/kit';
import { chatEvents } from '@builderai/chat/events';
import type { ProjectsApp } from './context.js';
import { applyGenerationEvent, type GenerationAction } from './domain/status-changes.js';

// One consumer name in processed_events for the three: each event is applied once. The answer's
// message id is the generation's id (a job taken again keeps it).
const applyOnce = (action: GenerationAction, { projectId, userId, messageId }: { projectId: string; userId: string; messageId: string }, event: EventEnvelope, { db, logger }: ProjectsApp) =>
  handleOnce(db, 'projects.status-on-generation', event, (tx) => applyGenerationEvent(tx, { projectId, userId, generationId: messageId, action, eventId: event.id }, logger));

export const chatEventsConsumer = consumer(chatEvents, 'projects.chat-events', {
  'chat.generation.started': async (payload, event, app: ProjectsApp) => void (await applyOnce('startGeneration', payload, event, app)),
  'chat.generation.completed': async (payload, event, app: ProjectsApp) => void (await applyOnce('completeGeneration', payload, event, app)),
  'chat.generation.failed': async (payload, event, app: ProjectsApp) => void (await applyOnce('failGeneration', payload, event, app)),
});

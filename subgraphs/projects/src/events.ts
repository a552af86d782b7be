// What the projects service publishes, declared once; consumers import these contracts. Each
// is written to the outbox inside the transaction of the change it announces.
import { z } from 'zod';
import { defineEvents } from '@builderai/kit';

const id = z.string().uuid();
const ref = { projectId: id, userId: id };
const status = z.enum(['DRAFT', 'GENERATING', 'READY', 'PUBLISHED', 'ARCHIVED']);

export const projectsEvents = defineEvents('projects', {
  'projects.project.created': z.object({ ...ref, name: z.string() }).describe('a user created a project'),
  'projects.project.updated': z.object(ref).describe('its name, description, prompt, llm or config changed'),
  'projects.project.status_changed': z.object({ ...ref, from: status, to: status }).describe('it moved through its lifecycle'),
  'projects.project.deleted': z.object(ref).describe('the project and its config are gone'),
  'projects.project.duplicated': z.object({ ...ref, sourceProjectId: id }).describe('a new project copied from another'),
});

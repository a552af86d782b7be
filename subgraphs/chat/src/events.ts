// What the chat service publishes, declared once; consumers import these contracts. The
// contract comes ahead of the service itself, so projects can consume generation events now.
import { z } from 'zod';
import { defineEvents } from '@builderai/kit';

const generation = z.object({ projectId: z.string().uuid(), userId: z.string().uuid() });

export const chatEvents = defineEvents('chat', {
  'chat.generation.started': generation.describe('the AI started writing a project'),
  'chat.generation.completed': generation.describe('the AI finished writing a project'),
  'chat.generation.failed': generation.describe('the AI stopped writing a project without finishing'),
});

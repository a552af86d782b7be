// What the chat service publishes, declared once; consumers import these contracts.
// `chat.answer.requested` is chat's own work queue: any chat instance takes the job.
import { z } from 'zod';
import { defineEvents } from '@builderai/kit';

const id = z.string().uuid();
const generation = { projectId: id, userId: id, conversationId: id, messageId: id };

export const chatEvents = defineEvents('chat', {
  'chat.answer.requested': z.object(generation).describe("a user's message waits for the AI's answer (chat's own job queue)"),
  'chat.generation.started': z.object({ ...generation, model: z.string() }).describe('the AI started answering, and so writing the project'),
  'chat.generation.completed': z
    .object({ ...generation, model: z.string(), promptTokens: z.number().int().nonnegative(), completionTokens: z.number().int().nonnegative() })
    .describe('the AI finished an answer: its model and token usage (billing, analytics)'),
  'chat.generation.failed': z
    .object({ ...generation, model: z.string(), reason: z.string(), promptTokens: z.number().int().nonnegative(), completionTokens: z.number().int().nonnegative() })
    .describe('the AI stopped without finishing (provider failure, stopped by the user): why, and the tokens used so far'),
});

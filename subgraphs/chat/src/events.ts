// What the chat service publishes, declared once; consumers import these contracts.
// `chat.answer.requested` is chat's own work queue: any chat instance takes the job.
import { z } from 'zod';
import { defineEvents } from '@builderai/kit';

const id = z.string().uuid();
const generation = { projectId: id, userId: id, conversationId: id, messageId: id };
const tokens = z.number().int().nonnegative();

/** Bounds of the project snapshot a job carries (domain/prompt.ts cuts what is longer). */
export const SNAPSHOT_LIMITS = { name: 200, text: 20_000, files: 200, path: 300 } as const;

/**
 * The project as the user's request saw it, for the system prompt: the worker has no request of
 * the user to ask the platform with. Files are paths and sizes only.
 */
export const projectSnapshot = z.object({
  name: z.string().max(SNAPSHOT_LIMITS.name),
  description: z.string().max(SNAPSHOT_LIMITS.text).nullable(),
  prompt: z.string().max(SNAPSHOT_LIMITS.text).nullable(),
  files: z.array(z.object({ path: z.string().max(SNAPSHOT_LIMITS.path), size: z.number().int().nonnegative() })).max(SNAPSHOT_LIMITS.files),
  /** Files beyond `files`. */
  moreFiles: z.number().int().nonnegative(),
  /** The MCP servers whose tools the answer may use (none: it need not ask for them). */
  mcpServerIds: z.array(id).max(50).optional(),
});
export type ProjectSnapshot = z.infer<typeof projectSnapshot>;

export const chatEvents = defineEvents('chat', {
  'chat.answer.requested': z
    .object({ ...generation, project: projectSnapshot.optional() })
    .describe("a user's message waits for the AI's answer (chat's own job queue), with the project as the model is told about it"),
  'chat.generation.started': z.object({ ...generation, model: z.string() }).describe('the AI started answering, and so writing the project'),
  'chat.generation.completed': z
    .object({ ...generation, model: z.string(), promptTokens: tokens, completionTokens: tokens })
    .describe('the AI finished an answer: its model and token usage, summaries of older turns included (billing, analytics)'),
  'chat.generation.failed': z
    .object({ ...generation, model: z.string(), reason: z.string(), promptTokens: tokens, completionTokens: tokens })
    .describe('the AI stopped without finishing (provider failure, stopped by the user): why, and the tokens used so far'),
});

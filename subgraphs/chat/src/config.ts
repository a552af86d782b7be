// The chat service's environment: the models it can answer with and where their providers
// are (domain/models.ts), and how long it waits for them.
import { z } from 'zod';
import { defineConfig, variable } from '@builderai/kit';
import { modelVariables, providerVariables } from './domain/models.js';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const loadChatConfig = defineConfig({
  models: modelVariables,
  providers: providerVariables,
  generation: {
    /** How long the model may take to send its first token, and then between two tokens. */
    firstTokenTimeoutMs: variable('CHAT_FIRST_TOKEN_TIMEOUT_MS', ms(30_000)),
    idleTimeoutMs: variable('CHAT_IDLE_TIMEOUT_MS', ms(30_000)),
    /** How long a summary of older turns may take (it is not streamed). */
    summaryTimeoutMs: variable('CHAT_SUMMARY_TIMEOUT_MS', ms(60_000)),
    /** Retries of a request the provider refused with 429 or 5xx (its Retry-After honoured). */
    maxRetries: variable('CHAT_MAX_RETRIES', z.coerce.number().int().min(0).max(10).default(2)),
    /** How long an answer's stream of chunks stays readable after its last chunk. */
    streamTtlSeconds: variable('CHAT_STREAM_TTL_SECONDS', z.coerce.number().int().positive().default(3600)),
  },
  tools: {
    /** Rounds of tool calls one answer may make before it must answer. */
    maxSteps: variable('CHAT_TOOL_MAX_STEPS', z.coerce.number().int().min(1).max(100).default(25)),
    /** Bytes of one file the AI writes; keep at most the files service's FILES_TEXT_MAX_BYTES. */
    fileMaxBytes: variable('CHAT_FILE_MAX_BYTES', z.coerce.number().int().positive().default(512 * 1024)),
    /** Bytes of all the files one answer writes: they go to the files service in one request, within the router's MAX_BODY_BYTES. */
    turnMaxBytes: variable('CHAT_TURN_MAX_BYTES', z.coerce.number().int().positive().default(900_000)),
    /** How long a call of an MCP tool whose consent is ASK waits for the user's approval. */
    approvalTimeoutMs: variable('CHAT_TOOL_APPROVAL_TIMEOUT_MS', ms(300_000)),
  },
});

export type ChatConfig = ReturnType<typeof loadChatConfig>;

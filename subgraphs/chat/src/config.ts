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
});

export type ChatConfig = ReturnType<typeof loadChatConfig>;

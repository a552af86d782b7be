// Writing the AI's answer, on whichever chat instance takes the job: the branch up to the
// user's message goes to the model (within its window: domain/context-window.ts), each piece
// of text is appended to the conversation's stream (a Redis Stream, `conversation:<id>`: the
// entry ids are the subscribers' cursors), and the finished answer is stored once, with its
// usage, and announced. A job taken again after a
// worker died mid-answer says so in the stream ("restart") and starts the text anew.
import type { EventPayload, Logger, Streams } from '@builderai/kit';
import type { Message, PrismaClient } from '../generated/prisma/client.ts';
import { chatEvents } from '../events.js';
import type { ChatConfig } from '../config.js';
import { CompletionError, streamCompletion, type CompletionResult } from './completion.js';
import { contextWindow } from './context-window.js';
import { endpointOf } from './models.js';
import type { RunningAnswers } from './stopping.js';

export interface GenerationDeps {
  db: PrismaClient;
  streams: Streams;
  config: ChatConfig;
  logger: Logger;
  publishEvents: () => void;
  answers: RunningAnswers;
}

export type AnswerJob = EventPayload<typeof chatEvents, 'chat.answer.requested'>;

export const conversationStream = (conversationId: string) => `conversation:${conversationId}`;

export async function writeAnswer(deps: GenerationDeps, job: AnswerJob): Promise<void> {
  const { db, streams, config } = deps;
  const answer = await db.message.findUnique({ where: { id: job.messageId } });
  // Done already (a redelivered job), or gone with its conversation.
  if (!answer || (answer.status !== 'PENDING' && answer.status !== 'STREAMING')) return;
  const ttlMs = config.generation.streamTtlSeconds * 1000;
  const stream = conversationStream(answer.conversationId);
  let lastEntry = '0-0';
  const event = async (fields: Record<string, string>) => (lastEntry = await streams.append(stream, { messageId: answer.id, ...fields }, ttlMs));
  const model = String((answer.metadata as { model?: string } | null)?.model ?? '');
  const { projectId, userId, conversationId, messageId } = job;
  const generation = { projectId, userId, conversationId, messageId, model };

  if (await deps.answers.isStopped(answer.id)) {
    await db.message.updateMany({ where: { id: answer.id, status: { in: ['PENDING', 'STREAMING'] } }, data: { status: 'CANCELLED' } });
    await event({ type: 'cancelled' });
    return;
  }
  const restarted = answer.status === 'STREAMING';
  await db.$transaction(async (tx) => {
    await tx.message.update({ where: { id: answer.id }, data: { status: 'STREAMING', content: '' } });
    await chatEvents.record(tx, 'chat.generation.started', generation);
  });
  deps.publishEvents();
  await event({ type: restarted ? 'restarted' : 'started' });

  const started = Date.now();
  let text = '';
  let result: CompletionResult | undefined;
  let failure: string | undefined;
  let stopped = false;
  let summaryUsage = { promptTokens: 0, completionTokens: 0 };
  try {
    const spec = config.models.find((candidate) => candidate.id === model);
    const endpoint = spec && endpointOf(spec, config.providers);
    if (!spec || !endpoint || 'missing' in endpoint) throw new CompletionError(`The model ${model} is no longer configured`);
    const { maxRetries } = config.generation;
    result = await deps.answers.run(answer.id, async (signal) => {
      const window = await contextWindow(deps, answer, job.project, { spec, ...endpoint, timeoutMs: config.generation.summaryTimeoutMs, maxRetries, signal });
      summaryUsage = window.usage;
      return streamCompletion(
        {
          signal,
          ...endpoint,
          model: spec.model ?? spec.id,
          messages: window.messages,
          firstTokenTimeoutMs: config.generation.firstTokenTimeoutMs,
          idleTimeoutMs: config.generation.idleTimeoutMs,
          maxRetries,
        },
        async (delta) => {
          text += delta;
          await event({ type: 'delta', text: delta });
        },
      );
    });
  } catch (error) {
    if (!(error instanceof CompletionError)) throw error;
    stopped = error.stopped;
    failure = stopped ? 'Stopped by the user' : error.message;
  }

  const usage = { promptTokens: result?.promptTokens ?? 0, completionTokens: result?.completionTokens ?? 0 };
  const metadata = { model, ...usage, latencyMs: Date.now() - started, finishReason: result?.finishReason ?? 'error', ...(summaryUsage.promptTokens && { summary: summaryUsage }) };
  // Billing counts everything the provider was asked for this answer, its summary included.
  const billed = { promptTokens: usage.promptTokens + summaryUsage.promptTokens, completionTokens: usage.completionTokens + summaryUsage.completionTokens };
  await db.$transaction(async (tx) => {
    const status = stopped ? 'CANCELLED' : failure ? 'FAILED' : 'COMPLETE';
    // Stored after the millisecond of its last event so far: a subscriber that comes back
    // once the stream has expired, with the cursor of any event before the end, is told the
    // end from here (domain/message-stream.ts).
    const updatedAt = new Date(Math.max(Date.now(), Number(lastEntry.split('-')[0]) + 1));
    await tx.message.update({ where: { id: answer.id }, data: { status, content: text, error: stopped ? null : (failure ?? null), metadata, updatedAt } });
    if (failure) await chatEvents.record(tx, 'chat.generation.failed', { ...generation, ...billed, reason: failure });
    else await chatEvents.record(tx, 'chat.generation.completed', { ...generation, ...billed });
  });
  deps.publishEvents();
  await event(stopped ? { type: 'cancelled' } : failure ? { type: 'error', message: failure } : { type: 'done' });
  if (failure && !stopped) deps.logger.warn({ messageId: answer.id, model, reason: failure }, 'an answer failed');
}

// A conversation's stream of answer events, for its subscribers: the conversation's Redis
// Stream from a cursor on, each entry once and in order, until the subscriber leaves.
import { badUserInput, type Streams, type Viewer } from '@builderai/kit';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { readableConversation } from './conversations.js';
import { conversationStream } from './generation.js';

export type StreamEventType = 'STARTED' | 'DELTA' | 'RESTARTED' | 'DONE' | 'ERROR' | 'CANCELLED';

export interface StreamEvent {
  cursor: string;
  type: StreamEventType;
  messageId: string;
  delta: string | null;
  error: string | null;
}

const TYPES: Record<string, StreamEventType> = { started: 'STARTED', delta: 'DELTA', restarted: 'RESTARTED', done: 'DONE', error: 'ERROR', cancelled: 'CANCELLED' };
const CURSOR = /^\d{1,20}-\d{1,20}$/;

/**
 * The events, as an iterator whose return() ends the wait at once (a generator's would wait
 * for the next event): a subscriber who leaves costs nothing afterwards.
 */
export async function followConversation(deps: { db: PrismaClient; streams: Streams }, viewer: Viewer, conversationId: string, after: string | null | undefined): Promise<AsyncIterableIterator<StreamEvent>> {
  if (after && !CURSOR.test(after)) throw badUserInput('after is not a cursor of this stream', 'after');
  const conversation = await readableConversation(deps.db, viewer, conversationId);
  const controller = new AbortController();
  const entries = deps.streams.follow(conversationStream(conversation.id), after ?? undefined, controller.signal)[Symbol.asyncIterator]();
  const iterator: AsyncIterableIterator<StreamEvent> = {
    async next() {
      for (;;) {
        const next = await entries.next();
        if (next.done) return { done: true, value: undefined };
        const { id, fields } = next.value;
        const type = TYPES[fields.type ?? ''];
        if (!type || !fields.messageId) continue;
        return { done: false, value: { cursor: id, type, messageId: fields.messageId, delta: fields.text ?? null, error: fields.message ?? null } };
      }
    },
    async return() {
      controller.abort();
      await entries.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

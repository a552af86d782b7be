// A conversation's stream of answer events, for its subscribers: the conversation's Redis
// Stream from a cursor on, each entry once and in order, until the subscriber leaves.
//
// A stream is kept whole until it expires (CHAT_STREAM_TTL_SECONDS after its last entry;
// nothing trims it), so one whose first entry is at or before the cursor holds everything
// after it. One that is gone, or that began after the cursor (it expired and a later answer
// started it anew), may have lost what came between: the answers that ended in that gap are
// then told first, from the database (DONE, ERROR or CANCELLED with the stored answer), and
// the stream is followed after them as usual.
import { badUserInput, type Streams, type Viewer } from '@builderai/kit';
import type { Message, PrismaClient } from '../generated/prisma/client.ts';
import { readableConversation } from './conversations.js';
import { conversationStream } from './generation.js';
import { runningToolCall, type ToolCallView } from './tool-calls.js';

export type StreamEventType = 'STARTED' | 'DELTA' | 'RESTARTED' | 'DONE' | 'ERROR' | 'CANCELLED' | 'TOOL_CALL' | 'TOOL_APPROVAL_REQUIRED' | 'TOOL_RESULT';

export interface StreamEvent {
  cursor: string;
  type: StreamEventType;
  messageId: string;
  delta: string | null;
  error: string | null;
  /** TOOL_CALL: the call as it started; TOOL_RESULT: the id of the stored call. */
  toolCall: ToolCallView | { id: string } | null;
}

type Deps = { db: PrismaClient; streams: Streams };

const TYPES: Record<string, StreamEventType> = {
  started: 'STARTED',
  delta: 'DELTA',
  restarted: 'RESTARTED',
  done: 'DONE',
  error: 'ERROR',
  cancelled: 'CANCELLED',
  tool_call: 'TOOL_CALL',
  tool_approval: 'TOOL_APPROVAL_REQUIRED',
  tool_result: 'TOOL_RESULT',
};
const ENDINGS = new Set(['done', 'error', 'cancelled']);
const ENDED: Partial<Record<Message['status'], StreamEventType>> = { COMPLETE: 'DONE', FAILED: 'ERROR', CANCELLED: 'CANCELLED' };
const CURSOR = /^\d{1,20}-\d{1,20}$/;
const SCAN_COUNT = 500;

/** Orders stream ids ("<ms>-<seq>"), exactly for any id a cursor may hold. */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

/** The messages whose end (done, error, cancelled) the stream holds now. */
async function endedInStream(streams: Streams, stream: string): Promise<Set<string>> {
  const ended = new Set<string>();
  for (let after: string | undefined; ; ) {
    const entries = await streams.read(stream, after, SCAN_COUNT);
    for (const { fields } of entries) if (ENDINGS.has(fields.type ?? '') && fields.messageId) ended.add(fields.messageId);
    if (entries.length < SCAN_COUNT) return ended;
    after = entries.at(-1)!.id;
  }
}

/**
 * The answers that ended after `after` and that the stream can no longer tell (none when the
 * stream still covers the cursor), oldest end first.
 */
async function missedEndings(deps: Deps, conversationId: string, stream: string, after: string): Promise<StreamEvent[]> {
  const [first] = await deps.streams.read(stream, undefined, 1);
  if (first && compareIds(first.id, after) <= 0) return [];
  // An answer is stored before its end is appended to the stream, and after every event of it
  // before that (domain/generation.ts), so one whose end came after the cursor was stored
  // after the cursor's millisecond.
  const since = new Date(Number(after.split('-')[0]));
  if (Number.isNaN(since.getTime())) return [];
  const ended = await deps.db.message.findMany({
    where: { conversationId, sender: 'ASSISTANT', status: { in: ['COMPLETE', 'FAILED', 'CANCELLED'] }, updatedAt: { gt: since } },
    orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
  });
  if (ended.length === 0) return [];
  // Those whose end the stream holds now are told by it, with their own cursors.
  const inStream = first ? await endedInStream(deps.streams, stream) : new Set<string>();
  const missed = ended.filter((message) => !inStream.has(message.id));
  return missed.map((message, index) => {
    // The cursor: "<ms it was stored>-0". Passed back as `after`, it asks for the answers
    // stored after that millisecond, so the answer before another stored in the same
    // millisecond gets the millisecond before (that one may then be told again, never lost).
    // It is not newer than an entry the stream gets later, so following the stream after it
    // skips nothing: the stream that held this answer's end has expired (or never held it: an
    // answer stopped before it started has no events), and a stream started anew gets ids from
    // the time of its first append, which comes after this answer was stored.
    const stored = message.updatedAt.getTime();
    const next = missed[index + 1];
    const ms = next && next.updatedAt.getTime() === stored ? stored - 1 : stored;
    return { cursor: `${ms}-0`, type: ENDED[message.status]!, messageId: message.id, delta: null, error: message.status === 'FAILED' ? message.error : null, toolCall: null };
  });
}

/**
 * The events, as an iterator whose return() ends the wait at once (a generator's would wait
 * for the next event): a subscriber who leaves costs nothing afterwards.
 */
export async function followConversation(deps: Deps, viewer: Viewer, conversationId: string, after: string | null | undefined): Promise<AsyncIterableIterator<StreamEvent>> {
  if (after && !CURSOR.test(after)) throw badUserInput('after is not a cursor of this stream', 'after');
  const conversation = await readableConversation(deps.db, viewer, conversationId);
  const stream = conversationStream(conversation.id);
  const missed = after ? await missedEndings(deps, conversation.id, stream, after) : [];
  // An answer told from the database is not told again by the stream (its end may be appended
  // there only now).
  const told = new Set(missed.map((event) => event.messageId));
  const controller = new AbortController();
  const entries = deps.streams.follow(stream, after ?? undefined, controller.signal)[Symbol.asyncIterator]();
  let left = false;
  const iterator: AsyncIterableIterator<StreamEvent> = {
    async next() {
      if (left) return { done: true, value: undefined };
      const stored = missed.shift();
      if (stored) return { done: false, value: stored };
      for (;;) {
        const next = await entries.next();
        if (next.done) return { done: true, value: undefined };
        const { id, fields } = next.value;
        const type = TYPES[fields.type ?? ''];
        if (!type || !fields.messageId || told.has(fields.messageId)) continue;
        const toolCall = type === 'TOOL_CALL' || type === 'TOOL_APPROVAL_REQUIRED' ? runningToolCall(fields) : type === 'TOOL_RESULT' ? { id: fields.toolCallId ?? '' } : null;
        return { done: false, value: { cursor: id, type, messageId: fields.messageId, delta: fields.text ?? null, error: fields.message ?? null, toolCall } };
      }
    },
    async return() {
      left = true;
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

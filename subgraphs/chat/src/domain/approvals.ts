// Approving the AI's calls of tools whose consent is ASK: the worker announces the call and
// waits; the user's approveToolCall / rejectToolCall sets a flag in the store (read about every
// second, so none is missed) and a pub/sub message (so the waiting worker goes on at once). A
// call nobody answers in time is not made; a stopped answer stops waiting.
import { badUserInput, forbidden, type KeyValueStore, type PubSub, type Viewer } from '@builderai/kit';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { ownMessage } from './conversations.js';

const CHANNEL = 'chat:approvals';
const FLAG_TTL_MS = 60 * 60 * 1000;
const CHECK_EVERY_MS = 1000;
const flag = (messageId: string, toolCallId: string, answer: 'approved' | 'rejected') => `chat:approval:${messageId}:${toolCallId}:${answer}`;

export type Approval = 'approved' | 'rejected' | 'timeout';

/** The user's answer to a call waiting for approval (their own answer of the AI, still being written). */
export async function answerToolCall(deps: { db: PrismaClient; store: KeyValueStore; pubsub: PubSub }, viewer: Viewer, messageId: string, toolCallId: string, approved: boolean): Promise<boolean> {
  const { message, conversation } = await ownMessage(deps.db, viewer, messageId);
  if (conversation.userId !== viewer.userId) throw forbidden('Only the owner of the conversation approves its tool calls');
  if (message.sender !== 'ASSISTANT' || message.status !== 'STREAMING') throw badUserInput('This answer is not waiting for an approval', 'messageId');
  await deps.store.flag(flag(message.id, toolCallId, approved ? 'approved' : 'rejected'), FLAG_TTL_MS);
  await deps.pubsub.publish(CHANNEL, `${message.id}:${toolCallId}`);
  return true;
}

export interface ToolApprovals {
  /** Waits for the user's answer to the call, at most `timeoutMs`; a stop (the signal) rejects it. */
  wait(messageId: string, toolCallId: string, timeoutMs: number, signal?: AbortSignal): Promise<Approval>;
}

export async function toolApprovals(store: KeyValueStore, pubsub: PubSub): Promise<ToolApprovals> {
  const waiting = new Map<string, () => void>();
  await pubsub.subscribe(CHANNEL, (message) => waiting.get(String(message))?.());
  return {
    wait(messageId, toolCallId, timeoutMs, signal) {
      const key = `${messageId}:${toolCallId}`;
      return new Promise<Approval>((resolve) => {
        let done = false;
        const finish = (approval: Approval) => {
          if (done) return;
          done = true;
          clearInterval(poll);
          clearTimeout(timer);
          waiting.delete(key);
          signal?.removeEventListener('abort', onAbort);
          resolve(approval);
        };
        const check = async () => {
          const [approved, rejected] = await store.flagged([flag(messageId, toolCallId, 'approved'), flag(messageId, toolCallId, 'rejected')]);
          if (rejected) finish('rejected');
          else if (approved) finish('approved');
        };
        const onAbort = () => finish('rejected');
        const poll = setInterval(() => void check().catch(() => undefined), CHECK_EVERY_MS);
        const timer = setTimeout(() => finish('timeout'), timeoutMs);
        waiting.set(key, () => void check().catch(() => undefined));
        signal?.addEventListener('abort', onAbort, { once: true });
        if (signal?.aborted) onAbort();
        void check().catch(() => undefined);
      });
    },
  };
}

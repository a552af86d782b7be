// Stopping an answer, wherever it is being written: a flag in the store (which a worker reads
// when it starts and about every second while it writes, so no stop is missed) and a pub/sub
// message (so the instance writing it aborts the upstream request at once).
import { badUserInput, type KeyValueStore, type PubSub, type Viewer } from '@builderai/kit';
import type { Message, PrismaClient } from '../generated/prisma/client.ts';
import { ownMessage } from './conversations.js';

const STOP_CHANNEL = 'chat:stop';
const STOP_FLAG_TTL_MS = 24 * 60 * 60 * 1000;
const CHECK_EVERY_MS = 1000;
export const stopFlag = (messageId: string) => `chat:stop:${messageId}`;

export interface StopDeps {
  db: PrismaClient;
  store: KeyValueStore;
  pubsub: PubSub;
}

/** Stops the answer: a PENDING one is CANCELLED now; a STREAMING one by the worker writing it. */
export async function stopGeneration(deps: StopDeps, viewer: Viewer, messageId: string): Promise<Message> {
  const { message } = await ownMessage(deps.db, viewer, messageId);
  if (message.sender !== 'ASSISTANT') throw badUserInput('Only an answer of the AI can be stopped', 'messageId');
  return stopAnswer(deps, message);
}

/** Stops an answer of the AI that has not ended; one that has is returned as it is. */
export async function stopAnswer(deps: StopDeps, message: Message): Promise<Message> {
  if (message.status !== 'PENDING' && message.status !== 'STREAMING') return message;
  await deps.store.flag(stopFlag(message.id), STOP_FLAG_TTL_MS);
  await deps.pubsub.publish(STOP_CHANNEL, message.id);
  const { count } = await deps.db.message.updateMany({ where: { id: message.id, status: 'PENDING' }, data: { status: 'CANCELLED' } });
  return count > 0 ? { ...message, status: 'CANCELLED' } : message;
}

/** The answers this process is writing, each with the controller that aborts it. */
export interface RunningAnswers {
  /** Runs `write` with a signal that aborts when the answer is stopped. */
  run<T>(messageId: string, write: (signal: AbortSignal) => Promise<T>): Promise<T>;
  isStopped(messageId: string): Promise<boolean>;
}

export async function runningAnswers(store: KeyValueStore, pubsub: PubSub): Promise<RunningAnswers> {
  const running = new Map<string, AbortController>();
  await pubsub.subscribe(STOP_CHANNEL, (message) => running.get(String(message))?.abort());
  const isStopped = async (messageId: string) => (await store.flagged([stopFlag(messageId)]))[0] === true;
  return {
    isStopped,
    async run(messageId, write) {
      const controller = new AbortController();
      running.set(messageId, controller);
      // The flag, in case the pub/sub message was missed (at most once).
      const poll = setInterval(() => {
        isStopped(messageId).then((stopped) => stopped && controller.abort(), () => {});
      }, CHECK_EVERY_MS);
      try {
        return await write(controller.signal);
      } finally {
        clearInterval(poll);
        running.delete(messageId);
      }
    },
  };
}

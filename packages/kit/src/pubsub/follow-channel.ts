// A pub/sub channel as a subscription's async iterator: each message (that `keep` accepts) once,
// in order, until the subscriber leaves; return() unsubscribes at once. A subscriber that reads
// too slowly loses the oldest messages beyond `maxQueued` rather than the process's memory.
import type { PubSub } from './pubsub.js';

export async function followChannel<T>(pubsub: PubSub, channel: string, keep: (message: T) => boolean = () => true, maxQueued = 100): Promise<AsyncIterableIterator<T>> {
  const queued: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let ended = false;
  const unsubscribe = await pubsub.subscribe(channel, (raw) => {
    const message = raw as T;
    if (ended || !keep(message)) return;
    if (waiting) {
      const deliver = waiting;
      waiting = undefined;
      deliver({ done: false, value: message });
      return;
    }
    queued.push(message);
    if (queued.length > maxQueued) queued.shift();
  });
  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (queued.length) return Promise.resolve({ done: false, value: queued.shift()! });
      if (ended) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => (waiting = resolve));
    },
    async return() {
      ended = true;
      waiting?.({ done: true, value: undefined });
      waiting = undefined;
      await unsubscribe();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

import { EventEmitter } from 'node:events';
import type { PubSub } from './pubsub.js';

export function createMemoryPubSub(): PubSub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(channel, message) {
      // Deliver asynchronously and as a copy, like a real broker would.
      const copy = structuredClone(message);
      queueMicrotask(() => emitter.emit(channel, copy));
    },
    async subscribe(channel, onMessage) {
      emitter.on(channel, onMessage);
      return async () => {
        emitter.off(channel, onMessage);
      };
    },
    // In-process delivery cannot be interrupted.
    onInterrupted() {},
    async close() {
      emitter.removeAllListeners();
    },
  };
}

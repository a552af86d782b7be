import type { RedisClientType } from 'redis';
import type { PubSub } from './pubsub.js';
import { withinMs } from '../deadline.js';
import { closeRedis } from '../redis-close.js';

/** A subscribed Redis connection cannot publish, so this owns a duplicate for subscribing. */
export async function createRedisPubSub(client: RedisClientType<any, any, any, any, any>, prefix = 'builderai:', timeoutMs = 300): Promise<PubSub> {
  // Named, so operators (and tests) can tell it apart in CLIENT LIST.
  const subscriber = client.duplicate({ name: `${prefix}pubsub`.replace(/[^\w:.-]/g, '_') });
  const interrupted = new Set<() => void>();
  // node-redis reconnects and subscribes again by itself; what was published meanwhile is gone.
  const notify = () => interrupted.forEach((listener) => listener());
  subscriber.on('error', notify);
  subscriber.on('reconnecting', notify);
  subscriber.on('end', notify);
  await subscriber.connect();
  return {
    async publish(channel, message) {
      await withinMs(client.publish(prefix + channel, JSON.stringify(message)), timeoutMs, 'redis publish');
    },
    async subscribe(channel, onMessage) {
      // Whatever else publishes on the channel, only JSON reaches the subscriber.
      const listener = (raw: string) => {
        let message: unknown;
        try {
          message = JSON.parse(raw);
        } catch {
          return;
        }
        onMessage(message);
      };
      await subscriber.subscribe(prefix + channel, listener);
      return async () => {
        await subscriber.unsubscribe(prefix + channel, listener);
      };
    },
    onInterrupted(listener) {
      interrupted.add(listener);
    },
    async close() {
      interrupted.clear();
      closeRedis(subscriber);
    },
  };
}

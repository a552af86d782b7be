import type { RedisClientType } from 'redis';
import type { PubSub } from './pubsub.js';

/** A subscribed Redis connection cannot publish, so this owns a duplicate for subscribing. */
export async function createRedisPubSub(client: RedisClientType<any, any, any, any, any>, prefix = 'builderai:'): Promise<PubSub> {
  const subscriber = client.duplicate();
  subscriber.on('error', () => {});
  await subscriber.connect();
  return {
    async publish(channel, message) {
      await client.publish(prefix + channel, JSON.stringify(message));
    },
    async subscribe(channel, onMessage) {
      const listener = (raw: string) => onMessage(JSON.parse(raw));
      await subscriber.subscribe(prefix + channel, listener);
      return async () => {
        await subscriber.unsubscribe(prefix + channel, listener);
      };
    },
    async close() {
      await subscriber.quit().catch(() => {});
    },
  };
}

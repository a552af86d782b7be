// A pub/sub channel followed as an iterator: messages in order, filtered, bounded for a slow
// reader, and leaving unsubscribes (nothing more is delivered).
import { createMemoryPubSub } from '../src/pubsub/memory-pubsub.js';
import { followChannel } from '../src/pubsub/follow-channel.js';

test('messages arrive in order, filtered; a slow reader keeps the newest; return() unsubscribes', async () => {
  const pubsub = createMemoryPubSub();
  const events = await followChannel<{ n: number }>(pubsub, 'c', (message) => message.n % 2 === 0, 3);
  const first = events.next();
  await pubsub.publish('c', { n: 0 });
  expect(await first).toEqual({ done: false, value: { n: 0 } });
  for (let n = 1; n <= 10; n++) await pubsub.publish('c', { n });
  // 2, 4, 6, 8, 10 passed the filter; only the newest three were kept.
  expect([(await events.next()).value, (await events.next()).value, (await events.next()).value]).toEqual([{ n: 6 }, { n: 8 }, { n: 10 }]);
  const pending = events.next();
  await events.return!();
  expect(await pending).toEqual({ done: true, value: undefined });
  await pubsub.publish('c', { n: 12 });
  expect(await events.next()).toEqual({ done: true, value: undefined });
  await pubsub.close();
});

// The key-value store and pub/sub behave the same in Redis and in process memory.
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { createMemoryStore } from '../src/store/memory-store.js';
import { createRedisStore } from '../src/store/redis-store.js';
import { createMemoryPubSub } from '../src/pubsub/memory-pubsub.js';
import { createRedisPubSub } from '../src/pubsub/redis-pubsub.js';
import type { KeyValueStore } from '../src/store/key-value-store.js';
import type { PubSub } from '../src/pubsub/pubsub.js';

const redis = createClient({ url: process.env.REDIS_URL });
beforeAll(() => redis.connect());
afterAll(() => redis.quit());

const prefix = () => `${process.env.REDIS_PREFIX ?? 'test:'}${randomUUID()}:`;
const stores: Array<[string, () => KeyValueStore]> = [
  ['memory', () => createMemoryStore()],
  // What the store does, not how fast: a loaded machine must not trip the 300 ms deadline
  // (platform/test/redis-outage.test.ts is about that).
  ['redis', () => createRedisStore(redis, prefix(), 5000)],
];

describe.each(stores)('%s store', (_name, make) => {
  let store: KeyValueStore;
  beforeEach(() => {
    store = make();
  });
  afterEach(() => store.close());

  test('counts hits in a window that starts with the first hit', async () => {
    expect(await store.peek('k')).toEqual({ count: 0, resetMs: 0 });
    const first = await store.hit('k', 60_000);
    const second = await store.hit('k', 60_000);
    expect([first.count, second.count]).toEqual([1, 2]);
    expect(second.resetMs).toBeGreaterThan(55_000);
    expect(second.resetMs).toBeLessThanOrEqual(60_000);
    expect((await store.peek('k')).count).toBe(2);
  });

  test('counts several units at once in the same window', async () => {
    await store.hit('units', 60_000);
    const many = await store.hit('units', 60_000, 25);
    expect(many.count).toBe(26);
    expect(many.resetMs).toBeGreaterThan(55_000);
  });

  test('a window resets once it has passed', async () => {
    await store.hit('short', 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await store.hit('short', 50)).count).toBe(1);
  });

  test('flags expire and can be read in bulk', async () => {
    await store.flag('a', 60_000);
    await store.flag('gone', 30);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await store.flagged(['a', 'b', 'gone'])).toEqual([true, false, false]);
    await store.delete('a');
    expect(await store.flagged(['a'])).toEqual([false]);
  });
});

const pubsubs: Array<[string, () => Promise<PubSub>]> = [
  ['memory', async () => createMemoryPubSub()],
  ['redis', () => createRedisPubSub(redis, prefix())],
];

describe.each(pubsubs)('%s pub/sub', (_name, make) => {
  test('delivers copies of messages to every subscriber of the channel, not to others', async () => {
    const pubsub = await make();
    const seenA: unknown[] = [];
    const seenB: unknown[] = [];
    const other: unknown[] = [];
    const offA = await pubsub.subscribe('chan', (message) => seenA.push(message));
    await pubsub.subscribe('chan', (message) => seenB.push(message));
    await pubsub.subscribe('other', (message) => other.push(message));
    const message = { token: 'hello', n: 1 };
    await pubsub.publish('chan', message);
    await waitUntil(() => seenA.length === 1 && seenB.length === 1);
    expect(seenA[0]).toEqual(message);
    expect(seenA[0]).not.toBe(message);

    await offA();
    await pubsub.publish('chan', { n: 2 });
    await waitUntil(() => seenB.length === 2);
    expect(seenA).toHaveLength(1);
    expect(other).toHaveLength(0);
    await pubsub.close();
  });
});

test('redis pub/sub says when its connection dropped, then delivers again once back', async () => {
  const channelPrefix = prefix();
  const pubsub = await createRedisPubSub(redis, channelPrefix);
  let interruptions = 0;
  pubsub.onInterrupted(() => interruptions++);
  const seen: unknown[] = [];
  await pubsub.subscribe('chan', (message) => seen.push(message));

  // Kill the subscriber's connection on the server, as a network failure would.
  const clients = await redis.clientList();
  const subscriber = clients.find((client) => client.name === `${channelPrefix}pubsub`);
  expect(subscriber).toBeDefined();
  await redis.sendCommand(['CLIENT', 'KILL', 'ID', String(subscriber!.id)]);
  await waitUntil(() => interruptions > 0);

  // The client reconnects and subscribes again by itself: a later message arrives.
  await waitUntil(() => {
    void pubsub.publish('chan', { n: 1 });
    return seen.length > 0;
  });
  expect(seen[0]).toEqual({ n: 1 });
  await pubsub.close();
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

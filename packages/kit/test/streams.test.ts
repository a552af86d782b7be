// Streams behave the same in Redis and in process memory: ordered ids, reads after a cursor,
// expiry after the last append.
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { createMemoryStreams } from '../src/streams/memory-streams.js';
import { createRedisStreams } from '../src/streams/redis-streams.js';
import type { Streams } from '../src/streams/streams.js';

const redis = createClient({ url: process.env.REDIS_URL });
beforeAll(() => redis.connect());
afterAll(() => redis.quit());

const kinds: Array<[string, () => Streams]> = [
  ['memory', () => createMemoryStreams()],
  ['redis', () => createRedisStreams(redis, `${process.env.REDIS_PREFIX ?? 'test:'}${randomUUID()}:`)],
];

describe.each(kinds)('%s streams', (_name, make) => {
  let streams: Streams;
  beforeEach(() => {
    streams = make();
  });
  afterEach(() => streams.close());

  test('reads from the start or after any cursor, in order', async () => {
    const ids = [];
    for (const n of ['1', '2', '3', '4']) ids.push(await streams.append('s', { n }, 60_000));
    expect(new Set(ids).size).toBe(4);
    const all = await streams.read('s', undefined, 10);
    expect(all.map((entry) => entry.fields.n)).toEqual(['1', '2', '3', '4']);
    expect(all.map((entry) => entry.id)).toEqual(ids);
    expect((await streams.read('s', ids[1], 10)).map((entry) => entry.fields.n)).toEqual(['3', '4']);
    expect((await streams.read('s', ids[0], 2)).map((entry) => entry.fields.n)).toEqual(['2', '3']);
    expect(await streams.read('s', ids[3], 10)).toEqual([]);
    expect(await streams.read('unknown', undefined, 10)).toEqual([]);
  });

  test('followers get what they missed, then each new entry, in order and once', async () => {
    const first = await streams.append('f', { n: '1' }, 60_000);
    await streams.append('f', { n: '2' }, 60_000);
    const controller = new AbortController();
    const collect = async (after: string | undefined, want: number) => {
      const seen: string[] = [];
      for await (const entry of streams.follow('f', after, controller.signal)) {
        seen.push(entry.fields.n!);
        if (seen.length === want) break;
      }
      return seen;
    };
    const fromStart = collect(undefined, 5);
    const fromFirst = collect(first, 4);
    const onEmpty = (async () => {
      const seen: string[] = [];
      for await (const entry of streams.follow('empty', undefined, controller.signal)) {
        seen.push(entry.fields.n!);
        break;
      }
      return seen;
    })();
    for (const n of ['3', '4', '5']) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await streams.append('f', { n }, 60_000);
    }
    await streams.append('empty', { n: 'x' }, 60_000);
    const started = Date.now();
    expect(await fromStart).toEqual(['1', '2', '3', '4', '5']);
    expect(await fromFirst).toEqual(['2', '3', '4', '5']);
    expect(await onEmpty).toEqual(['x']);
    expect(Date.now() - started).toBeLessThan(1000);
    controller.abort();
  });

  test('a follower stops when its signal aborts', async () => {
    const controller = new AbortController();
    const following = (async () => {
      for await (const _entry of streams.follow('quiet', undefined, controller.signal)) void _entry;
      return 'ended';
    })();
    setTimeout(() => controller.abort(), 50);
    expect(await following).toBe('ended');
  });

  test('a stream expires after its last append', async () => {
    await streams.append('short', { n: '1' }, 100);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await streams.read('short', undefined, 10)).toEqual([]);
  });
});

// Redis Streams. Readers that follow streams share one blocking XREAD per process, on a
// connection of its own, over every stream someone waits on: a new stream to watch interrupts
// it (CLIENT UNBLOCK) so the read covers it at once.
import type { RedisClientType } from 'redis';
import type { StreamEntry, Streams } from './streams.js';
import { compareIds, followEntries, Wakeups } from './follow.js';
import { withinMs } from '../deadline.js';
import { closeRedis } from '../redis-close.js';

type Redis = RedisClientType<any, any, any, any, any>;
const BLOCK_MS = 1000;
const READ_COUNT = 100;

export function createRedisStreams(client: Redis, prefix = 'builderai:', timeoutMs = 300): Streams {
  const k = (stream: string) => `${prefix}stream:${stream}`;
  const wakeups = new Wakeups();
  /** The id each watched stream is known up to (the oldest any waiter has read). */
  const knownUpTo = new Map<string, string>();
  let watcher: Redis | undefined;
  let watcherId: number | undefined;
  let watching: Promise<void> | undefined;
  let closed = false;
  /** Wakes the reader when it has no stream to watch and someone starts waiting. */
  let someoneWaits: (() => void) | undefined;

  async function read(stream: string, afterId: string | undefined, count: number): Promise<StreamEntry[]> {
    // An exclusive start ("(id") needs Redis 6.2 or later.
    const entries = await withinMs(client.xRange(k(stream), afterId ? `(${afterId}` : '-', '+', { COUNT: count }), timeoutMs, 'redis read');
    return entries.map((entry) => ({ id: String(entry.id), fields: { ...(entry.message as Record<string, string>) } }));
  }

  async function watch(): Promise<void> {
    watcher = client.duplicate();
    watcher.on('error', () => {});
    await watcher.connect();
    while (!closed) {
      const streams = wakeups.streams();
      if (streams.length === 0) {
        // Idle until a reader waits (a fixed sleep here delayed every event by up to its length).
        await new Promise<void>((resolve) => (someoneWaits = resolve));
        continue;
      }
      try {
        // Its id lets a new stream unblock its read; asked here, where a slow Redis is caught.
        watcherId ??= Number(await watcher.clientId());
        const answer = (await watcher.xRead(
          streams.map((stream) => ({ key: k(stream), id: knownUpTo.get(stream) ?? '0-0' })),
          { BLOCK: BLOCK_MS, COUNT: 1 },
        )) as Array<{ name: string }> | null;
        for (const { name } of answer ?? []) wakeups.wake(String(name).slice(`${prefix}stream:`.length));
      } catch {
        // Unblocked for a new stream, or Redis away: readers keep their place and read again.
        if (!closed) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  function waitFor(stream: string, afterId: string | undefined, signal: AbortSignal): Promise<void> {
    // No reader connection is opened once the streams are closed.
    if (closed) return Promise.resolve();
    const known = knownUpTo.get(stream);
    const isNew = !wakeups.has(stream);
    if (afterId && (!known || isNew || compareIds(afterId, known) < 0)) knownUpTo.set(stream, afterId);
    const woken = wakeups.wait(stream, signal, BLOCK_MS * 5);
    // A watcher that could not start (Redis away or slow) is dropped; the next reader starts
    // another, and readers meanwhile wake on their own timeout. Never an unhandled rejection.
    watching ??= watch().catch(() => {
      closeRedis(watcher);
      watcher = undefined;
      watcherId = undefined;
      watching = undefined;
    });
    const idle = someoneWaits;
    someoneWaits = undefined;
    idle?.();
    if (isNew && !idle && watcherId !== undefined) client.sendCommand(['CLIENT', 'UNBLOCK', String(watcherId)]).catch(() => {});
    return woken.then(() => {
      if (!wakeups.has(stream)) knownUpTo.delete(stream);
    });
  }

  return {
    async append(stream, fields, ttlMs) {
      const [id] = (await withinMs(client.multi().xAdd(k(stream), '*', fields).pExpire(k(stream), Math.max(1, Math.ceil(ttlMs))).exec(), timeoutMs, 'redis append')) as unknown as [string];
      return id;
    },
    read,
    follow: (stream, afterId, signal) =>
      followEntries((after) => read(stream, after, READ_COUNT), (after, abort) => waitFor(stream, after, abort), afterId, signal),
    async close() {
      closed = true;
      someoneWaits?.();
      if (watcherId !== undefined) await client.sendCommand(['CLIENT', 'UNBLOCK', String(watcherId)]).catch(() => {});
      await watching?.catch(() => {});
      closeRedis(watcher);
    },
  };
}

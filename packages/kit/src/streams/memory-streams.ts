import type { StreamEntry, Streams } from './streams.js';
import { compareIds, followEntries, Wakeups } from './follow.js';

// Ids like Redis's, "<ms>-<seq>", increasing within a stream.
export function createMemoryStreams(): Streams {
  const streams = new Map<string, { entries: StreamEntry[]; last: [number, number]; timer?: NodeJS.Timeout }>();
  const wakeups = new Wakeups();
  async function read(name: string, afterId: string | undefined, count: number): Promise<StreamEntry[]> {
    const entries = streams.get(name)?.entries ?? [];
    const start = afterId ? entries.findIndex((entry) => compareIds(entry.id, afterId) > 0) : 0;
    return start < 0 ? [] : entries.slice(start, start + count).map((entry) => ({ id: entry.id, fields: { ...entry.fields } }));
  }
  return {
    async append(name, fields, ttlMs) {
      const stream = streams.get(name) ?? { entries: [], last: [0, 0] as [number, number] };
      streams.set(name, stream);
      const now = Date.now();
      stream.last = now > stream.last[0] ? [now, 0] : [stream.last[0], stream.last[1] + 1];
      const id = `${stream.last[0]}-${stream.last[1]}`;
      stream.entries.push({ id, fields: { ...fields } });
      clearTimeout(stream.timer);
      stream.timer = setTimeout(() => streams.delete(name), ttlMs);
      stream.timer.unref();
      wakeups.wake(name);
      return id;
    },
    read,
    follow: (name, afterId, signal) => followEntries((after) => read(name, after, 100), (_after, abort) => wakeups.wait(name, abort), afterId, signal),
    async close() {
      for (const stream of streams.values()) clearTimeout(stream.timer);
      streams.clear();
    },
  };
}

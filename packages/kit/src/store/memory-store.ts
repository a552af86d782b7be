import type { KeyValueStore, WindowCount } from './key-value-store.js';

interface Entry {
  count: number;
  expiresAt: number;
}

export function createMemoryStore(): KeyValueStore {
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const view = (entry: Entry | undefined): WindowCount =>
    entry ? { count: entry.count, resetMs: Math.max(0, entry.expiresAt - Date.now()) } : { count: 0, resetMs: 0 };
  // Expired entries are dropped lazily on read and by this sweep, so memory stays bounded.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }, 30_000);
  sweep.unref();

  return {
    async hit(key, windowMs, units = 1) {
      const entry = live(key) ?? { count: 0, expiresAt: Date.now() + windowMs };
      entry.count += units;
      entries.set(key, entry);
      return view(entry);
    },
    async peek(key) {
      return view(live(key));
    },
    async flag(key, ttlMs) {
      entries.set(key, { count: 1, expiresAt: Date.now() + ttlMs });
    },
    async flagged(keys) {
      return keys.map((key) => live(key) !== undefined);
    },
    async delete(key) {
      entries.delete(key);
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}

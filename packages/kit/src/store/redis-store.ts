import type { RedisClientType } from 'redis';
import type { KeyValueStore } from './key-value-store.js';
import { withinMs } from '../deadline.js';

// INCRBY and the window's expiry in one atomic step (a key without one gets one, so a window
// always ends); returns [count, ms left].
const HIT_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

export function createRedisStore(client: RedisClientType<any, any, any, any, any>, prefix = 'builderai:', timeoutMs = 300): KeyValueStore {
  const k = (key: string) => prefix + key;
  const store: KeyValueStore = {
    async hit(key, windowMs, units = 1) {
      const [count, ttl] = (await client.eval(HIT_SCRIPT, { keys: [k(key)], arguments: [String(windowMs), String(units)] })) as [number, number];
      return { count, resetMs: Math.max(0, ttl) };
    },
    async peek(key) {
      const [value, ttl] = await Promise.all([client.get(k(key)), client.pTTL(k(key))]);
      return { count: value ? Number(value) : 0, resetMs: Math.max(0, Number(ttl)) };
    },
    async flag(key, ttlMs) {
      await client.set(k(key), '1', { PX: Math.max(1, Math.ceil(ttlMs)) });
    },
    async flagged(keys) {
      if (keys.length === 0) return [];
      const values = await client.mGet(keys.map(k));
      return values.map((value) => value !== null);
    },
    async delete(key) {
      await client.del(k(key));
    },
    async ping() {
      await client.ping();
    },
    async close() {},
  };
  // Every call answers within timeoutMs, or fails: callers decide (refuse, fall back, retry).
  return Object.fromEntries(
    Object.entries(store).map(([name, call]) => [name, (...args: unknown[]) => withinMs((call as (...a: unknown[]) => Promise<unknown>)(...args), timeoutMs, `redis ${name}`)]),
  ) as unknown as KeyValueStore;
}

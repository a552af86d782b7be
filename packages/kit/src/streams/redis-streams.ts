import type { RedisClientType } from 'redis';
import type { Streams } from './streams.js';
import { withinMs } from '../deadline.js';

export function createRedisStreams(client: RedisClientType<any, any, any, any, any>, prefix = 'builderai:', timeoutMs = 300): Streams {
  const k = (stream: string) => `${prefix}stream:${stream}`;
  return {
    async append(stream, fields, ttlMs) {
      const [id] = (await withinMs(client.multi().xAdd(k(stream), '*', fields).pExpire(k(stream), Math.max(1, Math.ceil(ttlMs))).exec(), timeoutMs, 'redis append')) as unknown as [string];
      return id;
    },
    async read(stream, afterId, count) {
      // An exclusive start ("(id") needs Redis 6.2 or later.
      const entries = await withinMs(client.xRange(k(stream), afterId ? `(${afterId}` : '-', '+', { COUNT: count }), timeoutMs, 'redis read');
      return entries.map((entry) => ({ id: String(entry.id), fields: { ...(entry.message as Record<string, string>) } }));
    },
    async close() {},
  };
}

// Closing a Redis connection at shutdown. QUIT waits for the peer, and when a deadline cut it
// short node-redis was left half closed: every later call throws, and its PING timer re-arms
// itself each second forever, holding the process. Destroying the socket ends everything at
// once; by shutdown nothing of ours is waiting on the connection.
import type { RedisClientType } from 'redis';

export function closeRedis(client: RedisClientType<any, any, any, any, any> | undefined): void {
  try {
    client?.destroy();
  } catch {
    // Already closed.
  }
}

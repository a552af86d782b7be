// The shared infrastructure of a process: Redis (store + pub/sub) and RabbitMQ (event bus)
// when configured, in-process stand-ins otherwise (embedded mode). Services sharing a
// process share one Infrastructure, so embedded events and pub/sub reach every service.
import { createClient } from 'redis';
import type { Logger } from './logger.js';
import type { InfrastructureConfig } from './config.js';
import type { ReadinessCheck } from './health.js';
import type { KeyValueStore } from './store/key-value-store.js';
import { createMemoryStore } from './store/memory-store.js';
import { createRedisStore } from './store/redis-store.js';
import { closeRedis } from './redis-close.js';
import type { PubSub } from './pubsub/pubsub.js';
import { createMemoryPubSub } from './pubsub/memory-pubsub.js';
import { createRedisPubSub } from './pubsub/redis-pubsub.js';
import type { Streams } from './streams/streams.js';
import { createMemoryStreams } from './streams/memory-streams.js';
import { createRedisStreams } from './streams/redis-streams.js';
import type { EventBus } from './events/bus.js';
import { createMemoryBus } from './events/memory-bus.js';
import { createRabbitMqBus } from './events/rabbitmq-bus.js';

export interface Infrastructure {
  store: KeyValueStore;
  pubsub: PubSub;
  /** Append-only streams (chat answers' chunks). */
  streams: Streams;
  bus: EventBus;
  /** Checks of the shared dependencies, merged into each service's /health/ready. */
  readiness: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

export async function connectInfrastructure(
  config: Pick<InfrastructureConfig, 'REDIS_URL' | 'AMQP_URL'> & Partial<InfrastructureConfig>,
  logger: Logger,
): Promise<Infrastructure> {
  const readiness: Record<string, ReadinessCheck> = {};
  const closers: Array<() => Promise<unknown>> = [];

  let store: KeyValueStore;
  let pubsub: PubSub;
  let streams: Streams;
  if (config.REDIS_URL) {
    // While Redis is away commands fail at once instead of queueing, and each call has a
    // deadline (REDIS_TIMEOUT_MS), so no request waits on it.
    const redis = createClient({
      url: config.REDIS_URL,
      disableOfflineQueue: true,
      // A peer that stops answering (a frozen connection) is dropped and dialled again: after 10 s
      // of silence (3 s also dropped healthy connections of a process whose loop a busy machine
      // had held up; calls never wait that long anyway, they have REDIS_TIMEOUT_MS).
      pingInterval: 1_000,
      socket: { socketTimeout: 10_000, connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
    });
    redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
    await redis.connect();
    const timeoutMs = config.REDIS_TIMEOUT_MS ?? 300;
    store = createRedisStore(redis, config.REDIS_PREFIX, timeoutMs);
    pubsub = await createRedisPubSub(redis, config.REDIS_PREFIX, timeoutMs);
    streams = createRedisStreams(redis, config.REDIS_PREFIX, timeoutMs);
    readiness.redis = () => redis.ping();
    // Closed in reverse: the streams' reader connection goes first, while the client can still unblock it.
    closers.push(() => pubsub.close(), async () => closeRedis(redis), () => streams.close());
  } else {
    logger.info('REDIS_URL not set: using in-process store and pub/sub (embedded mode)');
    store = createMemoryStore();
    pubsub = createMemoryPubSub();
    streams = createMemoryStreams();
    closers.push(() => store.close(), () => pubsub.close(), () => streams.close());
  }

  let bus: EventBus;
  if (config.AMQP_URL) {
    const rabbit = createRabbitMqBus({
      url: config.AMQP_URL,
      exchange: config.EVENTS_EXCHANGE,
      queueExpiresMs: config.EVENTS_QUEUE_EXPIRES_MS,
      logger,
    });
    readiness.rabbitmq = async () => {
      if (!rabbit.isConnected()) throw new Error('not connected');
    };
    bus = withQueuePrefix(rabbit, config.EVENTS_QUEUE_PREFIX ?? '');
  } else {
    logger.info('AMQP_URL not set: using the in-process event bus (embedded mode)');
    bus = createMemoryBus({ logger });
  }
  closers.push(() => bus.close());

  return {
    store,
    pubsub,
    streams,
    bus,
    readiness,
    async close() {
      for (const close of closers.reverse()) await close().catch(() => {});
    },
  };
}

function withQueuePrefix(bus: EventBus, prefix: string): EventBus {
  if (!prefix) return bus;
  return {
    publish: (event) => bus.publish(event),
    consume: (options) => bus.consume({ ...options, queue: prefix + options.queue }),
    close: () => bus.close(),
  };
}

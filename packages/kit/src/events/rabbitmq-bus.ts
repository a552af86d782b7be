import amqp from 'amqplib';
import type { ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import type { Logger } from 'pino';
import {
  errorMessage,
  retryDelay,
  validateConsumeOptions,
  type ConsumeOptions,
  type EventBus,
  type Subscription,
} from './bus.js';
import { isEventEnvelope, type EventEnvelope } from './envelope.js';

// Topology, per consumer queue Q bound to the topic exchange:
//   Q            durable, bound to every pattern
//   Q.retry.<n>  durable, fixed x-message-ttl = backoff n, dead-letters back into Q
//   Q.dlq        durable, where events land after maxAttempts deliveries
// A failed delivery is republished (with the attempt header) to the next retry
// queue or the DLQ on a confirm channel, and acked only once that is confirmed.

export const ATTEMPT_HEADER = 'attempt';
export const ERROR_HEADER = 'last-error';

export const retryQueueName = (queue: string, retry: number): string => `${queue}.retry.${retry}`;
export const deadLetterQueueName = (queue: string): string => `${queue}.dlq`;

export interface RabbitMqBusOptions {
  url: string;
  exchange?: string;
  logger: Logger;
  prefetch?: number;
  publishTimeoutMs?: number;
  connectTimeoutMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  heartbeatSeconds?: number;
  /** Deletes queues unused this long (throwaway namespaces such as a test run's). */
  queueExpiresMs?: number;
}

export interface RabbitMqBus extends EventBus {
  // For readiness probes.
  isConnected(): boolean;
}

interface ConsumerState {
  options: Required<ConsumeOptions>;
  channel?: ConfirmChannel;
  tag?: string;
  established: boolean;
  running: Set<Promise<void>>;
  ready: Promise<void>;
  settle(err?: unknown): void;
}

const ignore = (): void => {};

export function createRabbitMqBus({
  url,
  exchange = 'builderai.events',
  logger,
  prefetch = 16,
  publishTimeoutMs = 5_000,
  connectTimeoutMs = 5_000,
  reconnectMinMs = 250,
  reconnectMaxMs = 5_000,
  heartbeatSeconds = 10,
  queueExpiresMs,
}: RabbitMqBusOptions): RabbitMqBus {
  const expiry = queueExpiresMs ? { 'x-expires': queueExpiresMs } : {};
  const log = logger.child({ component: 'event-bus', exchange });
  const consumers = new Set<ConsumerState>();
  // Channels we close on purpose; any other channel closing means trouble.
  const closingOnPurpose = new WeakSet<object>();
  let connection: ChannelModel | undefined;
  let publisher: ConfirmChannel | undefined;
  let connected = false;
  let closed = false;
  let failures = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let connecting: Promise<void> | undefined;

  function scheduleConnect(): void {
    if (closed || reconnectTimer || connecting) return;
    const delay = failures === 0 ? 0 : Math.min(reconnectMinMs * 2 ** (failures - 1), reconnectMaxMs);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connecting = connect().then((ok) => {
        connecting = undefined;
        if (!ok) scheduleConnect();
      });
    }, delay);
  }

  // One attempt at a connection with its whole topology; never throws.
  async function connect(): Promise<boolean> {
    let conn: ChannelModel | undefined;
    try {
      conn = await amqp.connect(withHeartbeat(url, heartbeatSeconds), { timeout: connectTimeoutMs });
      const current = conn;
      conn.on('error', (err) => log.warn({ err }, 'rabbitmq connection error'));
      conn.on('close', () => onConnectionLost(current));
      conn.on('blocked', (reason) => log.warn({ reason }, 'rabbitmq blocked publishing'));
      conn.on('unblocked', () => log.info('rabbitmq unblocked publishing'));
      if (closed) {
        await conn.close().catch(ignore);
        return true;
      }
      connection = conn;

      const pub = await conn.createConfirmChannel();
      pub.on('error', (err) => log.warn({ err }, 'rabbitmq publisher channel error'));
      watchChannel(conn, pub);
      await pub.assertExchange(exchange, 'topic', { durable: true });

      // A Set's iterator also visits consumers added while this loop awaits.
      for (const consumer of consumers) {
        if (consumer.channel) continue;
        try {
          await startConsumer(conn, consumer);
        } catch (err) {
          // A consumer that never started and was refused by the broker
          // (e.g. a queue redeclared with other arguments) fails its consume().
          if (consumer.established || connection !== conn) throw err;
          consumers.delete(consumer);
          consumer.settle(err);
        }
      }
      // Publishing resumes only now: this process's queues are bound before its events flow
      // again, so none is routed nowhere after an outage.
      publisher = pub;
      connected = true;
      failures = 0;
      log.info('connected to rabbitmq');
      return true;
    } catch (err) {
      failures++;
      log.warn({ err: errorMessage(err), attempt: failures }, 'rabbitmq unavailable; will reconnect');
      if (conn && connection === conn) forgetConnection();
      conn?.close().catch(ignore);
      return false;
    }
  }

  function forgetConnection(): void {
    connection = undefined;
    publisher = undefined;
    connected = false;
    for (const consumer of consumers) {
      consumer.channel = undefined;
      consumer.tag = undefined;
    }
  }

  function onConnectionLost(conn: ChannelModel): void {
    if (conn !== connection) return;
    forgetConnection();
    if (closed) return;
    log.warn('lost the rabbitmq connection; reconnecting');
    scheduleConnect();
  }

  // Any channel closing by surprise drops the connection, so that a single
  // path (reconnect) rebuilds everything.
  function watchChannel(conn: ChannelModel, channel: ConfirmChannel): void {
    channel.on('close', () => {
      // Checked after the current tick: when the whole connection dropped, its
      // own 'close' (emitted right after its channels') has already been handled.
      queueMicrotask(() => {
        if (closed || closingOnPurpose.has(channel) || conn !== connection) return;
        log.warn('rabbitmq channel closed unexpectedly; reconnecting');
        conn.close().catch(ignore);
      });
    });
  }

  async function startConsumer(conn: ChannelModel, consumer: ConsumerState): Promise<void> {
    const { queue, patterns, maxAttempts, backoffMs } = consumer.options;
    const channel = await conn.createConfirmChannel();
    channel.on('error', (err) => log.warn({ err, queue }, 'rabbitmq consumer channel error'));
    try {
      await channel.assertExchange(exchange, 'topic', { durable: true });
      await channel.assertQueue(queue, { durable: true, arguments: expiry });
      for (const pattern of patterns) await channel.bindQueue(queue, exchange, pattern);
      await channel.assertQueue(deadLetterQueueName(queue), { durable: true, arguments: expiry });
      for (let retry = 1; retry < maxAttempts; retry++) {
        await channel.assertQueue(retryQueueName(queue, retry), {
          durable: true,
          arguments: {
            ...expiry,
            'x-message-ttl': retryDelay(backoffMs, retry),
            'x-dead-letter-exchange': '',
            'x-dead-letter-routing-key': queue,
          },
        });
      }
      await channel.prefetch(prefetch);
      const { consumerTag } = await channel.consume(queue, (msg) => {
        if (!msg) {
          // The broker cancelled us (e.g. the queue was deleted): rebuild.
          log.warn({ queue }, 'rabbitmq cancelled the consumer; reconnecting');
          conn.close().catch(ignore);
          return;
        }
        const run = deliver(consumer, channel, msg)
          .catch((err) => log.error({ err, queue }, 'event delivery failed'))
          .finally(() => consumer.running.delete(run));
        consumer.running.add(run);
      });
      if (connection !== conn) throw new Error('rabbitmq connection lost while starting a consumer');
      consumer.channel = channel;
      consumer.tag = consumerTag;
    } catch (err) {
      closingOnPurpose.add(channel);
      channel.close().catch(ignore);
      throw err;
    }
    watchChannel(conn, channel);
    if (!consumer.established) {
      consumer.established = true;
      consumer.settle();
    }
  }

  async function deliver(consumer: ConsumerState, channel: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    const { queue, handler, maxAttempts, backoffMs } = consumer.options;
    const attempt = Number(msg.properties.headers?.[ATTEMPT_HEADER] ?? 1) || 1;
    const event = parseEnvelope(msg.content);
    if (!event) {
      log.error({ queue, messageId: msg.properties.messageId }, 'not an event envelope; dead-lettered');
      await moveTo(channel, deadLetterQueueName(queue), msg, attempt, 'not an event envelope');
      return;
    }
    try {
      await handler(event);
    } catch (err) {
      const context = { queue, eventId: event.id, type: event.type, attempt, err: errorMessage(err) };
      if (attempt >= maxAttempts) {
        log.error(context, 'event handler failed for the last time; dead-lettered');
        await moveTo(channel, deadLetterQueueName(queue), msg, attempt, errorMessage(err));
      } else {
        log.warn({ ...context, retryInMs: retryDelay(backoffMs, attempt) }, 'event handler failed; will retry');
        await moveTo(channel, retryQueueName(queue, attempt), msg, attempt + 1, errorMessage(err));
      }
      return;
    }
    try {
      channel.ack(msg);
    } catch (err) {
      // The channel is gone: the broker redelivers the event, the handler dedupes.
      log.warn({ queue, eventId: event.id, err: errorMessage(err) }, 'could not ack; the event will be redelivered');
    }
  }

  // Republishes the message to `target` and acks the original once the
  // broker confirmed the copy; if that fails the original stays unacked
  // and is redelivered.
  async function moveTo(
    channel: ConfirmChannel,
    target: string,
    msg: ConsumeMessage,
    attempt: number,
    error: string,
  ): Promise<void> {
    const props = msg.properties;
    const options: Options.Publish = {
      persistent: true,
      messageId: props.messageId,
      contentType: props.contentType,
      type: props.type,
      appId: props.appId,
      timestamp: props.timestamp,
      // The broker's own x-death history is dropped so it does not grow on every retry.
      headers: {
        ...withoutBrokerHeaders(props.headers),
        [ATTEMPT_HEADER]: attempt,
        [ERROR_HEADER]: error.slice(0, 1_000),
      },
    };
    try {
      await new Promise<void>((resolve, reject) => {
        try {
          channel.sendToQueue(target, msg.content, options, (err) => (err ? reject(err) : resolve()));
        } catch (err) {
          reject(err);
        }
      });
      channel.ack(msg);
    } catch (err) {
      log.warn({ target, messageId: props.messageId, err: errorMessage(err) }, 'could not move the event; it will be redelivered');
    }
  }

  async function stopConsumer(consumer: ConsumerState): Promise<void> {
    consumers.delete(consumer);
    const { channel, tag } = consumer;
    if (channel && tag) await channel.cancel(tag).catch(ignore);
    // Let handlers in flight ack before their channel goes.
    await Promise.allSettled([...consumer.running]);
    if (channel) {
      closingOnPurpose.add(channel);
      await channel.close().catch(ignore);
    }
    consumer.channel = undefined;
    consumer.tag = undefined;
  }

  scheduleConnect();

  return {
    publish(event) {
      const channel = publisher;
      if (closed) return Promise.reject(new Error('event bus is closed'));
      if (!channel) return Promise.reject(new Error('rabbitmq is not connected'));
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`publish of event ${event.id} not confirmed within ${publishTimeoutMs}ms`)),
          publishTimeoutMs,
        );
        const done = (err: unknown): void => {
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        };
        try {
          channel.publish(
            exchange,
            event.type,
            Buffer.from(JSON.stringify(event)),
            {
              persistent: true,
              messageId: event.id,
              contentType: 'application/json',
              type: event.type,
              appId: event.source,
              timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
            },
            done,
          );
        } catch (err) {
          done(err);
        }
      });
    },

    async consume(options) {
      if (closed) throw new Error('event bus is closed');
      const valid = validateConsumeOptions(options);
      let settle!: (err?: unknown) => void;
      const ready = new Promise<void>((resolve, reject) => {
        settle = (err) => (err ? reject(err) : resolve());
      });
      const consumer: ConsumerState = { options: valid, established: false, running: new Set(), ready, settle };
      consumers.add(consumer);
      // While connecting or disconnected, the connect loop starts it.
      const conn = connection;
      if (connected && conn) {
        try {
          await startConsumer(conn, consumer);
        } catch (err) {
          // Lost the connection meanwhile: the reconnect will start it.
          if (connection === conn) {
            consumers.delete(consumer);
            throw err;
          }
        }
      }
      await ready;
      const subscription: Subscription = { close: () => stopConsumer(consumer) };
      return subscription;
    },

    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(reconnectTimer);
      await connecting;
      for (const consumer of [...consumers]) {
        if (!consumer.established) consumer.settle(new Error('event bus is closed'));
        await stopConsumer(consumer);
      }
      const conn = connection;
      if (publisher) closingOnPurpose.add(publisher);
      forgetConnection();
      await conn?.close().catch(ignore);
      log.info('event bus closed');
    },

    isConnected: () => connected,
  };
}

function withHeartbeat(url: string, seconds: number): string {
  const parsed = new URL(url);
  // Heartbeats detect a dead peer that never closed the socket.
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(seconds));
  return parsed.toString();
}

function withoutBrokerHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !name.startsWith('x-')));
}

function parseEnvelope(content: Buffer): EventEnvelope | undefined {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'));
    return isEventEnvelope(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

import type { Logger } from 'pino';
import {
  errorMessage,
  retryDelay,
  validateConsumeOptions,
  type ConsumeOptions,
  type EventBus,
  type Subscription,
} from './bus.js';
import type { EventEnvelope } from './envelope.js';
import { topicMatches } from './topic.js';

// The in-process bus for embedded mode. Same contract as the RabbitMQ bus:
// durable-like queues with bindings, at-least-once delivery, retries with
// backoff, a dead-letter list, and at most `prefetch` handlers per consumer.

export interface DeadLetter {
  queue: string;
  event: EventEnvelope;
  attempts: number;
  error: string;
}

export interface MemoryBus extends EventBus {
  deadLetters(queue?: string): DeadLetter[];
}

export interface MemoryBusOptions {
  logger?: Logger;
  prefetch?: number;
}

interface Delivery {
  body: string;
  attempt: number;
}

interface Consumer {
  options: Required<ConsumeOptions>;
  running: Set<Promise<void>>;
}

interface Queue {
  name: string;
  patterns: Set<string>;
  backlog: Delivery[];
  consumers: Consumer[];
  next: number;
}

export function createMemoryBus({ logger, prefetch = 16 }: MemoryBusOptions = {}): MemoryBus {
  const queues = new Map<string, Queue>();
  const dead: DeadLetter[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  function enqueue(queue: Queue, delivery: Delivery): void {
    queue.backlog.push(delivery);
    // Handlers never run inside the publisher's call stack.
    setImmediate(() => dispatch(queue));
  }

  function dispatch(queue: Queue): void {
    while (!closed && queue.backlog.length > 0) {
      const consumer = pickConsumer(queue);
      if (!consumer) return;
      const delivery = queue.backlog.shift()!;
      const run = deliver(queue, consumer, delivery).finally(() => {
        consumer.running.delete(run);
        inFlight.delete(run);
        dispatch(queue);
      });
      consumer.running.add(run);
      inFlight.add(run);
    }
  }

  // Round-robin over consumers that have room, like competing consumers on one queue.
  function pickConsumer(queue: Queue): Consumer | undefined {
    for (let i = 0; i < queue.consumers.length; i++) {
      const consumer = queue.consumers[(queue.next + i) % queue.consumers.length];
      if (consumer.running.size < prefetch) {
        queue.next = (queue.next + i + 1) % queue.consumers.length;
        return consumer;
      }
    }
    return undefined;
  }

  async function deliver(queue: Queue, consumer: Consumer, delivery: Delivery): Promise<void> {
    // A fresh copy per delivery, shaped exactly like what crosses the broker.
    const event = JSON.parse(delivery.body) as EventEnvelope;
    const { maxAttempts, backoffMs } = consumer.options;
    try {
      await consumer.options.handler(event);
    } catch (err) {
      if (closed) return;
      const error = errorMessage(err);
      const log = { queue: queue.name, eventId: event.id, type: event.type, attempt: delivery.attempt, err: error };
      if (delivery.attempt >= maxAttempts) {
        logger?.error(log, 'event handler failed for the last time; dead-lettered');
        dead.push({ queue: queue.name, event: JSON.parse(delivery.body), attempts: delivery.attempt, error });
        return;
      }
      const delay = retryDelay(backoffMs, delivery.attempt);
      logger?.warn({ ...log, retryInMs: delay }, 'event handler failed; will retry');
      const timer = setTimeout(() => {
        timers.delete(timer);
        enqueue(queue, { body: delivery.body, attempt: delivery.attempt + 1 });
      }, delay);
      timers.add(timer);
    }
  }

  return {
    async publish(event) {
      if (closed) throw new Error('event bus is closed');
      const body = JSON.stringify(event);
      for (const queue of queues.values()) {
        if ([...queue.patterns].some((p) => topicMatches(p, event.type))) {
          enqueue(queue, { body, attempt: 1 });
        }
      }
    },

    async consume(options): Promise<Subscription> {
      if (closed) throw new Error('event bus is closed');
      const valid = validateConsumeOptions(options);
      let queue = queues.get(valid.queue);
      if (!queue) {
        queue = { name: valid.queue, patterns: new Set(), backlog: [], consumers: [], next: 0 };
        queues.set(valid.queue, queue);
      }
      // Bindings outlive consumers, as with a durable queue: events wait in the backlog.
      for (const p of valid.patterns) queue.patterns.add(p);
      const consumer: Consumer = { options: valid, running: new Set() };
      queue.consumers.push(consumer);
      const q = queue;
      setImmediate(() => dispatch(q));
      return {
        async close() {
          q.consumers = q.consumers.filter((c) => c !== consumer);
          await Promise.allSettled([...consumer.running]);
        },
      };
    },

    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },

    deadLetters(queue) {
      return dead.filter((d) => queue === undefined || d.queue === queue);
    },
  };
}

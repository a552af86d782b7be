// A service's consumers, attached to the bus in the background: the service serves while the
// broker is away, and each consumer starts once the bus can bind its queue. Events published
// meanwhile wait in their producers' outboxes, or in the durable queues bound before.
import type { Logger } from '../logger.js';
import type { ReadinessCheck } from '../health.js';
import type { EventBus, Subscription } from './bus.js';
import type { EventConsumer } from './consumer.js';
import { withinMs } from '../deadline.js';

export interface AttachedConsumers {
  /** Resolves when every consumer is attached or `ms` have passed, whichever comes first. */
  attachedWithin(ms: number): Promise<void>;
  /** `consumers`: up once every queue is consumed. */
  readiness: Record<string, ReadinessCheck>;
  stop(): Promise<void>;
}

export function attachConsumers<App>(consumers: EventConsumer<App>[], app: App, bus: EventBus, logger: Logger): AttachedConsumers {
  const subscriptions: Subscription[] = [];
  const waiting = new Set(consumers.map((consumer) => consumer.queue));
  let stopped = false;
  const attached = Promise.all(
    consumers.map((consumer) =>
      bus.consume(consumer.options(app, logger)).then(
        async (subscription) => {
          waiting.delete(consumer.queue);
          if (stopped) await subscription.close();
          else subscriptions.push(subscription);
        },
        // The bus gave up on it (closed meanwhile): nothing to consume any more.
        (error) => {
          if (!stopped) logger.error({ err: error, queue: consumer.queue }, 'consumer could not start');
        },
      ),
    ),
  );
  return {
    async attachedWithin(ms) {
      await withinMs(attached, ms, 'the event bus').catch(() =>
        logger.warn({ queues: [...waiting] }, 'the event bus is not reachable: serving now, consumers attach when it is'),
      );
    },
    readiness:
      consumers.length === 0
        ? {}
        : {
            consumers: async () => {
              if (waiting.size > 0) throw new Error(`not consuming yet: ${[...waiting].join(', ')}`);
            },
          },
    async stop() {
      stopped = true;
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
    },
  };
}

// How a service consumes events: a durable queue, the producer's contract, and a handler per
// routing key. Payloads are checked against the contract before a handler sees them; one that
// does not match throws, so the event is retried and then dead-lettered, never half-applied.
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import type { ConsumeOptions } from './bus.js';
import type { EventContract, EventSchemas } from './contract.js';
import type { EventEnvelope } from './envelope.js';

export type EventHandlers<S extends EventSchemas, App> = {
  [K in keyof S]?: (payload: z.output<S[K]>, event: EventEnvelope<z.output<S[K]>>, app: App) => Promise<void>;
};

export interface EventConsumer<App = any> {
  contract: EventContract;
  /** `<service>.<purpose>`, e.g. `users.auth-events`; deployments prefix it. */
  queue: string;
  /** The routing keys it handles. */
  types: string[];
  /** What the bus needs to consume for `app`. */
  options(app: App, logger: Logger): ConsumeOptions;
}

export interface ConsumerOptions {
  maxAttempts?: number;
  backoffMs?: number[];
}

export function consumer<S extends EventSchemas, App>(
  contract: EventContract<S>,
  queue: string,
  on: EventHandlers<S, App>,
  retries: ConsumerOptions = {},
): EventConsumer<App> {
  const types = Object.keys(on);
  return {
    contract,
    queue,
    types,
    options: (app, logger) => ({
      queue,
      patterns: types,
      ...retries,
      handler: async (event) => {
        const handle = on[event.type];
        const schema = contract.schemas[event.type];
        if (!handle || !schema) {
          logger.warn({ queue, type: event.type, eventId: event.id }, 'ignored an event of an unexpected type');
          return;
        }
        const payload = schema.parse(event.payload);
        await handle(payload, { ...event, payload }, app);
      },
    }),
  };
}

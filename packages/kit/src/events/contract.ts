// An event is declared once, by the service that publishes it: its routing key and the zod
// schema of its payload. The producer records through its contract (typed, and checked before
// it reaches the outbox); consumers import the same contract, so a payload is typed and
// validated at the edge with nothing restated.
import type { z } from 'zod';
import { assertEventType, type EventEnvelope } from './envelope.js';
import { recordEvent } from './outbox.js';
import type { RawSql } from './sql.js';

export type EventSchemas = Record<string, z.ZodTypeAny>;

export interface EventContract<S extends EventSchemas = EventSchemas> {
  /** The publishing service: every routing key starts with it. */
  source: string;
  schemas: S;
  /** Writes the event into the outbox of `tx`, in the transaction of the change it announces. */
  record<K extends keyof S & string>(tx: RawSql, type: K, payload: z.input<S[K]>): Promise<EventEnvelope<z.output<S[K]>>>;
}

/** The payload of one event of a contract, as consumers receive it. */
export type EventPayload<C extends EventContract, K extends keyof C['schemas']> = z.output<C['schemas'][K]>;

export function defineEvents<const S extends EventSchemas>(source: string, schemas: S): EventContract<S> {
  for (const type of Object.keys(schemas)) assertEventType(source, type);
  return {
    source,
    schemas,
    record: async (tx, type, payload) => recordEvent(tx, source, type, schemas[type]!.parse(payload)),
  };
}

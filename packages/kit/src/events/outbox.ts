import { createEnvelope, type EventEnvelope } from './envelope.js';
import type { RawSql } from './sql.js';

let lastOccurredAt = 0;

// Later events of one process never share or precede an earlier timestamp,
// so the relay's ORDER BY occurred_at keeps a transaction's events in order.
function nextOccurredAt(): Date {
  lastOccurredAt = Math.max(Date.now(), lastOccurredAt + 1);
  return new Date(lastOccurredAt);
}

// Writes the event into the service's outbox_events table. Call it with the
// transaction client of the state change it announces: both commit or neither.
export async function recordEvent<T>(tx: RawSql, source: string, type: string, payload: T): Promise<EventEnvelope<T>> {
  const event = createEnvelope(source, type, payload, nextOccurredAt());
  await tx.$executeRawUnsafe(
    `INSERT INTO outbox_events (id, type, source, payload, occurred_at)
     VALUES ($1::uuid, $2, $3, $4::jsonb, $5::timestamptz)`,
    event.id,
    event.type,
    event.source,
    JSON.stringify(payload ?? null),
    event.occurredAt,
  );
  return event;
}

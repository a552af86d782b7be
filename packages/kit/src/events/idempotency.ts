import type { EventEnvelope } from './envelope.js';
import type { RawSql, TransactionalSql } from './sql.js';

// Runs `work` at most once per (event, consumer): the dedupe mark and the
// work's effects commit in the same transaction, so a redelivered event is
// skipped and a failed one (rolled back) is retried. Returns whether it ran.
export async function handleOnce(
  db: TransactionalSql,
  consumer: string,
  event: EventEnvelope,
  work: (tx: RawSql) => Promise<void>,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const inserted = await tx.$executeRawUnsafe(
      `INSERT INTO processed_events (event_id, consumer) VALUES ($1::uuid, $2) ON CONFLICT DO NOTHING`,
      event.id,
      consumer,
    );
    if (inserted === 0) return false;
    await work(tx);
    return true;
  });
}

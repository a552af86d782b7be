import type { EventEnvelope } from './envelope.js';
import type { RawSql } from './sql.js';

/** A database with interactive transactions whose client is `Tx` (a service's Prisma client). */
export interface TransactionsOf<Tx extends RawSql> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: any): Promise<R>;
}

// Runs `work` at most once per (event, consumer): the dedupe mark and the
// work's effects commit in the same transaction, so a redelivered event is
// skipped and a failed one (rolled back) is retried. Returns whether it ran.
export async function handleOnce<Tx extends RawSql>(
  db: TransactionsOf<Tx>,
  consumer: string,
  event: EventEnvelope,
  work: (tx: Tx) => Promise<void>,
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

/** Whether `consumer` has already handled `event` (to skip costly work before handleOnce). */
export async function wasHandled(db: RawSql, consumer: string, event: EventEnvelope): Promise<boolean> {
  const rows = await db.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM processed_events WHERE event_id = $1::uuid AND consumer = $2`, event.id, consumer);
  return rows.length > 0;
}

import type { Logger } from 'pino';
import { errorMessage, type EventBus } from './bus.js';
import type { EventEnvelope } from './envelope.js';
import type { TransactionalSql } from './sql.js';

export interface OutboxRelayOptions {
  db: TransactionalSql;
  bus: EventBus;
  logger: Logger;
  intervalMs?: number;
  batchSize?: number;
  // Ceiling of the pause after failing passes (it doubles from intervalMs).
  maxBackoffMs?: number;
  // The pass holds its row locks while waiting for the broker's confirms.
  transactionTimeoutMs?: number;
}

export interface OutboxRelay {
  // Run a pass now (call it after committing a transaction that recorded events).
  nudge(): void;
  // Publish everything pending; rejects if something could not be published.
  drain(): Promise<void>;
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  type: string;
  source: string;
  payload: unknown;
  occurred_at: Date | string;
}

interface PassResult {
  published: number;
  failed: number;
}

const ignore = (): void => {};

// Publishes outbox rows in order and marks them published only after the
// broker confirmed them. Rows are claimed with FOR UPDATE SKIP LOCKED, so any
// number of relays (one per service instance) can share one outbox.
export function startOutboxRelay({
  db,
  bus,
  logger,
  intervalMs = 500,
  batchSize = 100,
  maxBackoffMs = 10_000,
  transactionTimeoutMs = 30_000,
}: OutboxRelayOptions): OutboxRelay {
  const log = logger.child({ component: 'outbox-relay' });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;
  let rerun = false;
  let failures = 0;
  // Passes run one after another, never two at once.
  let chain: Promise<unknown> = Promise.resolve();

  function exclusivePass(): Promise<PassResult> {
    const run = chain.then(pass);
    chain = run.catch(ignore);
    return run;
  }

  function pass(): Promise<PassResult> {
    return db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
          `SELECT id, type, source, payload, occurred_at FROM outbox_events
           WHERE published_at IS NULL
           ORDER BY occurred_at, id
           LIMIT $1::int
           FOR UPDATE SKIP LOCKED`,
          batchSize,
        );
        if (rows.length === 0) return { published: 0, failed: 0 };

        // Issued back to back, so the broker receives them in order; the confirms are awaited together.
        const results = await Promise.allSettled(rows.map((row) => bus.publish(toEnvelope(row))));
        const published: string[] = [];
        const failedByError = new Map<string, string[]>();
        results.forEach((result, i) => {
          if (result.status === 'fulfilled') {
            published.push(rows[i].id);
          } else {
            const error = errorMessage(result.reason).slice(0, 1_000);
            failedByError.set(error, [...(failedByError.get(error) ?? []), rows[i].id]);
          }
        });

        if (published.length > 0) {
          await tx.$executeRawUnsafe(
            `UPDATE outbox_events SET published_at = now() WHERE id IN (${uuidList(published.length, 1)})`,
            ...published,
          );
        }
        for (const [error, ids] of failedByError) {
          await tx.$executeRawUnsafe(
            `UPDATE outbox_events SET attempts = attempts + 1, last_error = $1 WHERE id IN (${uuidList(ids.length, 2)})`,
            error,
            ...ids,
          );
        }
        const failed = rows.length - published.length;
        if (published.length > 0) log.debug({ published: published.length }, 'published outbox events');
        if (failed > 0) log.warn({ failed, errors: [...failedByError.keys()] }, 'could not publish outbox events; will retry');
        return { published: published.length, failed };
      },
      { timeout: transactionTimeoutMs },
    );
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), delay);
  }

  async function tick(): Promise<void> {
    timer = undefined;
    ticking = true;
    rerun = false;
    let delay = intervalMs;
    try {
      const result = await exclusivePass();
      if (result.failed > 0) {
        failures++;
      } else {
        failures = 0;
        // A full batch means more may be waiting; a nudge during the pass may have added rows.
        if (result.published === batchSize || rerun) delay = 0;
      }
    } catch (err) {
      failures++;
      log.error({ err }, 'outbox relay pass failed; will retry');
    }
    if (failures > 0) delay = Math.min(intervalMs * 2 ** failures, maxBackoffMs);
    ticking = false;
    schedule(delay);
  }

  schedule(0);

  return {
    nudge() {
      if (stopped) return;
      if (ticking) rerun = true;
      // While failing, the backoff decides; nudges would only hammer a broken broker.
      else if (failures === 0) schedule(0);
    },

    async drain() {
      for (;;) {
        const result = await exclusivePass();
        if (result.failed > 0) throw new Error(`outbox relay: ${result.failed} event(s) could not be published`);
        if (result.published < batchSize) return;
      }
    },

    async stop() {
      stopped = true;
      clearTimeout(timer);
      await chain;
    },
  };
}

function toEnvelope(row: OutboxRow): EventEnvelope {
  return {
    id: row.id,
    type: row.type,
    source: row.source,
    occurredAt: new Date(row.occurred_at).toISOString(),
    payload: row.payload,
  };
}

// "$from::uuid, $from+1::uuid, ..." for an IN list of `count` ids.
function uuidList(count: number, from: number): string {
  return Array.from({ length: count }, (_, i) => `$${from + i}::uuid`).join(', ');
}

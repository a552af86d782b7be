// Rows kept only for a while (published outbox events, processed-event marks, expired sessions
// and tokens) are deleted by a periodic job in each service, a batch at a time so a backlog
// never holds long locks. Any number of instances may run it together: deleting is idempotent.
import type { Logger } from './logger.js';
import type { RawSql } from './events/sql.js';
import { infrastructureEnv, loadConfig } from './config.js';
import type { Env } from './database-url.js';
import { startPeriodic } from './periodic.js';

export interface RetentionRule {
  table: string;
  /** A timestamp column: rows whose value is older than `keepMs` go (NULL stays). */
  column: string;
  keepMs: number;
}

export interface RetentionOptions {
  db: RawSql;
  rules: RetentionRule[];
  logger: Logger;
  /** Between runs (0: only runOnce); the first comes after a random part of it, so instances spread out. */
  intervalMs: number;
  batchSize?: number;
}

export interface Retention {
  /** Runs every rule now; rows deleted per table. */
  runOnce(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** What every service with events keeps: published outbox rows and processed-event marks. */
export function eventRetentionRules(days: number): RetentionRule[] {
  return [
    { table: 'outbox_events', column: 'published_at', keepMs: days * DAY_MS },
    // A redelivery older than this would run again; brokers redeliver within minutes.
    { table: 'processed_events', column: 'processed_at', keepMs: days * DAY_MS },
  ];
}

async function deleteExpired(db: RawSql, rule: RetentionRule, batchSize: number): Promise<number> {
  if (!IDENTIFIER.test(rule.table) || !IDENTIFIER.test(rule.column)) throw new Error(`retention: bad identifier in ${rule.table}.${rule.column}`);
  const cutoff = new Date(Date.now() - rule.keepMs);
  const sql = `DELETE FROM "${rule.table}" WHERE ctid IN (SELECT ctid FROM "${rule.table}" WHERE "${rule.column}" < $1::timestamptz LIMIT ${batchSize})`;
  let deleted = 0;
  for (;;) {
    const count = await db.$executeRawUnsafe(sql, cutoff);
    deleted += count;
    if (count < batchSize) return deleted;
  }
}

export function startRetention({ db, rules, logger, intervalMs, batchSize = 1000 }: RetentionOptions): Retention {
  const log = logger.child({ component: 'retention' });
  // Checked between rules, so stopping does not wait for a whole backlog.
  let stopping = false;

  async function pass(): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const rule of rules) {
      if (stopping) break;
      deleted[rule.table] = (deleted[rule.table] ?? 0) + (await deleteExpired(db, rule, batchSize));
    }
    if (Object.values(deleted).some((count) => count > 0)) log.info({ deleted }, 'expired rows deleted');
    return deleted;
  }

  const task = startPeriodic(pass, {
    intervalMs: rules.length > 0 ? intervalMs : 0,
    firstDelayMs: Math.floor(Math.random() * intervalMs),
    onError: (error) => log.warn({ err: error }, 'retention run failed; next run as planned'),
  });

  return {
    runOnce: task.runNow,
    async stop() {
      stopping = true;
      await task.stop();
    },
  };
}

/** A service's retention job: the event tables plus its own rules, on the configured schedule. */
export function startServiceRetention(env: Env, db: RawSql, logger: Logger, ownRules: RetentionRule[] = []): Retention {
  const { RETENTION_INTERVAL_MINUTES, EVENTS_RETENTION_DAYS } = loadConfig(infrastructureEnv, env);
  return startRetention({ db, logger, rules: [...eventRetentionRules(EVENTS_RETENTION_DAYS), ...ownRules], intervalMs: RETENTION_INTERVAL_MINUTES * 60_000 });
}

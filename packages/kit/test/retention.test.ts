// The retention job against real Postgres: rows past their retention go, in batches; newer
// rows, unpublished events and NULL timestamps stay; a bad rule changes nothing.
import { randomUUID } from 'node:crypto';
import { DAY_MS, eventRetentionRules, startRetention, startServiceRetention } from '../src/retention.js';
import { createScratchDatabase, type ScratchDatabase } from './fixtures/events-db.js';
import { testLogger } from './fixtures/events-amqp.js';

let scratch: ScratchDatabase;

beforeAll(async () => {
  scratch = await createScratchDatabase('retention');
});
afterAll(() => scratch.drop());
beforeEach(() => scratch.pool.query('TRUNCATE outbox_events, processed_events'));

const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

async function outboxRow(publishedAt: Date | null): Promise<string> {
  const id = randomUUID();
  await scratch.pool.query(`INSERT INTO outbox_events (id, type, source, payload, published_at) VALUES ($1, 't.x.y', 'test', '{}', $2)`, [id, publishedAt]);
  return id;
}

async function remaining(table: string): Promise<number> {
  const { rows } = await scratch.pool.query<{ count: string }>(`SELECT count(*) FROM ${table}`);
  return Number(rows[0]!.count);
}

test('published events and processed marks older than the retention go; newer and unpublished ones stay', async () => {
  const old = await Promise.all([outboxRow(daysAgo(20)), outboxRow(daysAgo(15))]);
  const kept = await Promise.all([outboxRow(daysAgo(2)), outboxRow(null)]);
  await scratch.pool.query(`INSERT INTO processed_events (event_id, consumer, processed_at) VALUES ($1, 'c', $2), ($3, 'c', $4)`, [
    randomUUID(),
    daysAgo(30),
    randomUUID(),
    daysAgo(1),
  ]);

  const retention = startRetention({ db: scratch.db, rules: eventRetentionRules(14), logger: testLogger, intervalMs: 0 });
  expect(await retention.runOnce()).toEqual({ outbox_events: 2, processed_events: 1 });
  const { rows } = await scratch.pool.query<{ id: string }>('SELECT id FROM outbox_events ORDER BY id');
  expect(rows.map((row) => row.id).sort()).toEqual([...kept].sort());
  expect(old.every((id) => !rows.some((row) => row.id === id))).toBe(true);
  expect(await remaining('processed_events')).toBe(1);
  // Nothing left to delete: a second run deletes nothing.
  expect(await retention.runOnce()).toEqual({ outbox_events: 0, processed_events: 0 });
  await retention.stop();
});

test('a backlog larger than a batch is deleted in several batches', async () => {
  await scratch.pool.query(
    `INSERT INTO outbox_events (id, type, source, payload, published_at)
     SELECT gen_random_uuid(), 't.x.y', 'test', '{}', now() - interval '30 days' FROM generate_series(1, 2500)`,
  );
  const retention = startRetention({ db: scratch.db, rules: eventRetentionRules(14), logger: testLogger, intervalMs: 0, batchSize: 1000 });
  expect((await retention.runOnce()).outbox_events).toBe(2500);
  expect(await remaining('outbox_events')).toBe(0);
  await retention.stop();
});

test('a rule naming something that is not a plain identifier is refused before any SQL runs', async () => {
  await outboxRow(daysAgo(30));
  const retention = startRetention({
    db: scratch.db,
    rules: [{ table: 'outbox_events; DROP TABLE processed_events', column: 'published_at', keepMs: 0 }],
    logger: testLogger,
    intervalMs: 0,
  });
  await expect(retention.runOnce()).rejects.toThrow('bad identifier');
  expect(await remaining('outbox_events')).toBe(1);
  expect(await remaining('processed_events')).toBe(0);
  await retention.stop();
});

test('the scheduled job runs on its own at the configured interval', async () => {
  await outboxRow(daysAgo(30));
  // RETENTION_INTERVAL_MINUTES is whole minutes; the schedule itself is tested through startRetention.
  const retention = startRetention({ db: scratch.db, rules: eventRetentionRules(14), logger: testLogger, intervalMs: 100 });
  const deadline = Date.now() + 5000;
  while ((await remaining('outbox_events')) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await remaining('outbox_events')).toBe(0);
  await retention.stop();
});

test('RETENTION_INTERVAL_MINUTES=0 turns the schedule off, and EVENTS_RETENTION_DAYS sets the age', async () => {
  await outboxRow(daysAgo(5));
  const retention = startServiceRetention({ RETENTION_INTERVAL_MINUTES: '0', EVENTS_RETENTION_DAYS: '3' }, scratch.db, testLogger);
  expect((await retention.runOnce()).outbox_events).toBe(1);
  await retention.stop();
});

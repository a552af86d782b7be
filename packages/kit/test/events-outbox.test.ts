import { startTcpProxy, type TcpProxy } from '../../testkit/src/tcp-proxy.js';
import type { EventEnvelope } from '../src/events/envelope.js';
import { handleOnce } from '../src/events/idempotency.js';
import { recordEvent } from '../src/events/outbox.js';
import type { RawSql } from '../src/events/sql.js';
import { createRabbitMqBus, type RabbitMqBus } from '../src/events/rabbitmq-bus.js';
import { startOutboxRelay, type OutboxRelay } from '../src/events/relay.js';
import { createScratchDatabase, type ScratchDatabase } from './fixtures/events-db.js';
import { AMQP_URL, amqpUrlVia, deleteTopology, testLogger } from './fixtures/events-amqp.js';
import { uniqueName, waitFor } from './fixtures/events-wait.js';

interface OutboxRow {
  id: string;
  type: string;
  published_at: Date | null;
  attempts: number;
  last_error: string | null;
}

describe('outbox, relay and idempotent handling', () => {
  let scratch: ScratchDatabase;
  let exchange: string;
  let queues: string[];
  let buses: RabbitMqBus[];
  let relays: OutboxRelay[];
  let proxies: TcpProxy[];

  beforeAll(async () => {
    scratch = await createScratchDatabase('events_outbox');
    await scratch.pool.query('CREATE TABLE effects (event_id uuid NOT NULL, note text NOT NULL)');
  });
  afterAll(async () => {
    await scratch.drop();
  });

  beforeEach(async () => {
    exchange = uniqueName('exchange');
    queues = [];
    buses = [];
    relays = [];
    proxies = [];
    await scratch.pool.query('TRUNCATE outbox_events, processed_events, effects');
  });
  afterEach(async () => {
    for (const r of relays) await r.stop();
    for (const b of buses) await b.close();
    for (const p of proxies) await p.close();
    await deleteTopology(exchange, queues);
  });

  function bus(url = AMQP_URL): RabbitMqBus {
    const created = createRabbitMqBus({ url, exchange, logger: testLogger, reconnectMaxMs: 200, publishTimeoutMs: 2_000 });
    buses.push(created);
    return created;
  }

  function relay(b: RabbitMqBus, options: { intervalMs?: number; maxBackoffMs?: number } = {}): OutboxRelay {
    const created = startOutboxRelay({ db: scratch.db, bus: b, logger: testLogger, ...options });
    relays.push(created);
    return created;
  }

  async function collect(b: RabbitMqBus, patterns: string[]): Promise<EventEnvelope[]> {
    const q = uniqueName('outbox');
    queues.push(q);
    const seen: EventEnvelope[] = [];
    await b.consume({ queue: q, patterns, handler: async (e) => void seen.push(e) });
    return seen;
  }

  async function outbox(): Promise<OutboxRow[]> {
    const { rows } = await scratch.pool.query<OutboxRow>(
      'SELECT id, type, published_at, attempts, last_error FROM outbox_events ORDER BY occurred_at, id',
    );
    return rows;
  }

  it('publishes events of committed transactions, in order, and none of rolled-back ones', async () => {
    const b = bus();
    const seen = await collect(b, ['auth.#']);

    const committed = await scratch.db.$transaction(async (tx) => [
      await recordEvent(tx, 'auth', 'auth.user.registered', { userId: 'u1' }),
      await recordEvent(tx, 'auth', 'auth.user.verified', { userId: 'u1' }),
    ]);
    await expect(
      scratch.db.$transaction(async (tx) => {
        await recordEvent(tx, 'auth', 'auth.user.registered', { userId: 'ghost' });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const last = await scratch.db.$transaction((tx) => recordEvent(tx, 'auth', 'auth.user.deleted', { userId: 'u1' }));

    const r = relay(b);
    await r.drain();
    await waitFor(() => seen.some((e) => e.id === last.id), { what: 'the last event' });

    expect(seen).toEqual([...committed, last]);
    const rows = await outbox();
    expect(rows.map((row) => row.id)).toEqual([...committed, last].map((e) => e.id));
    expect(rows.every((row) => row.published_at !== null)).toBe(true);
  });

  it('publishes right after a nudge, without waiting for the interval', async () => {
    const b = bus();
    const seen = await collect(b, ['projects.#']);
    const r = relay(b, { intervalMs: 60_000 });
    const event = await scratch.db.$transaction((tx) => recordEvent(tx, 'projects', 'projects.project.created', { id: 'p1' }));
    r.nudge();
    await waitFor(() => seen.some((e) => e.id === event.id), { timeoutMs: 10_000, what: 'the nudged event' });
  });

  it('keeps rows pending while the broker is unreachable and publishes them once it is back', async () => {
    const proxy = await startTcpProxy('127.0.0.1', Number(new URL(AMQP_URL).port || 5672));
    proxies.push(proxy);
    const direct = bus();
    const seen = await collect(direct, ['billing.#']);

    await proxy.cut();
    const viaProxy = bus(amqpUrlVia(proxy.port));
    const events = [];
    for (let i = 0; i < 3; i++) {
      events.push(await scratch.db.$transaction((tx) => recordEvent(tx, 'billing', 'billing.invoice.created', { i })));
    }
    const r = relay(viaProxy, { intervalMs: 20, maxBackoffMs: 100 });

    await waitFor(async () => (await outbox()).every((row) => row.attempts >= 2), { what: 'failed attempts' });
    const pending = await outbox();
    expect(pending.every((row) => row.published_at === null && row.last_error)).toBe(true);
    await expect(r.drain()).rejects.toThrow(/could not be published/);
    expect(seen).toEqual([]);

    proxy.restore();
    await waitFor(async () => (await outbox()).every((row) => row.published_at !== null), { what: 'the rows to be published' });
    await waitFor(() => seen.length === 3, { what: 'the deliveries' });
    expect(seen).toEqual(events);
  });

  it('handleOnce runs the work once per event and consumer, even for concurrent duplicates', async () => {
    const event = await scratch.db.$transaction((tx) => recordEvent(tx, 'auth', 'auth.user.registered', { userId: 'u2' }));
    const work = (note: string) => async (tx: RawSql) => {
      await tx.$executeRawUnsafe('INSERT INTO effects (event_id, note) VALUES ($1::uuid, $2)', event.id, note);
    };

    const ran = await Promise.all([
      handleOnce(scratch.db, 'users.profile', event, work('a')),
      handleOnce(scratch.db, 'users.profile', event, work('b')),
      handleOnce(scratch.db, 'users.profile', event, work('c')),
    ]);
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(await handleOnce(scratch.db, 'users.profile', event, work('d'))).toBe(false);
    // Another consumer of the same event does its own work.
    expect(await handleOnce(scratch.db, 'billing.customer', event, work('e'))).toBe(true);

    const { rows } = await scratch.pool.query('SELECT note FROM effects ORDER BY note');
    expect(rows).toHaveLength(2);
  });

  it('handleOnce leaves no mark when the work fails, so a retry runs it', async () => {
    const event = await scratch.db.$transaction((tx) => recordEvent(tx, 'chat', 'chat.message.sent', { id: 'm' }));
    await expect(
      handleOnce(scratch.db, 'analytics.chat', event, async (tx) => {
        await tx.$executeRawUnsafe('INSERT INTO effects (event_id, note) VALUES ($1::uuid, $2)', event.id, 'partial');
        throw new Error('downstream failed');
      }),
    ).rejects.toThrow('downstream failed');
    expect(
      await handleOnce(scratch.db, 'analytics.chat', event, async (tx) => {
        await tx.$executeRawUnsafe('INSERT INTO effects (event_id, note) VALUES ($1::uuid, $2)', event.id, 'done');
      }),
    ).toBe(true);
    const { rows } = await scratch.pool.query('SELECT note FROM effects');
    expect(rows).toEqual([{ note: 'done' }]);
  });

  it('a duplicate delivery through RabbitMQ has its effect once', async () => {
    const b = bus();
    const q = uniqueName('dedupe');
    queues.push(q);
    let deliveries = 0;
    await b.consume({
      queue: q,
      patterns: ['files.#'],
      handler: (event) =>
        handleOnce(scratch.db, q, event, async (tx) => {
          await tx.$executeRawUnsafe('INSERT INTO effects (event_id, note) VALUES ($1::uuid, $2)', event.id, 'stored');
        })
          .then(() => undefined)
          .finally(() => void deliveries++),
    });
    const event = await scratch.db.$transaction((tx) => recordEvent(tx, 'files', 'files.file.uploaded', { id: 'f' }));
    // At-least-once: the relay (or a second relay) may publish the same row twice.
    await b.publish(event);
    await b.publish(event);
    await waitFor(() => deliveries === 2, { what: 'both deliveries' });
    const { rows } = await scratch.pool.query('SELECT note FROM effects WHERE event_id = $1', [event.id]);
    expect(rows).toEqual([{ note: 'stored' }]);
  });
});

import { createMemoryBus, type MemoryBus } from '../src/events/memory-bus.js';
import { createEnvelope, type EventEnvelope } from '../src/events/envelope.js';
import { waitFor } from './fixtures/events-wait.js';

describe('memory bus', () => {
  let bus: MemoryBus;
  beforeEach(() => {
    bus = createMemoryBus();
  });
  afterEach(async () => {
    await bus.close();
  });

  it('routes by topic pattern to every bound queue, never inside publish', async () => {
    const users: EventEnvelope[] = [];
    const all: EventEnvelope[] = [];
    let published = false;
    let calledDuringPublish = false;
    await bus.consume({
      queue: 'users.auth-events',
      patterns: ['auth.user.*'],
      handler: async (event) => {
        if (!published) calledDuringPublish = true;
        users.push(event);
      },
    });
    await bus.consume({ queue: 'analytics.everything', patterns: ['#'], handler: async (e) => void all.push(e) });

    const registered = createEnvelope('auth', 'auth.user.registered', { userId: 'u1' });
    const session = createEnvelope('auth', 'auth.session.created', { sessionId: 's1' });
    const pending = [bus.publish(registered), bus.publish(session)];
    published = true;
    await Promise.all(pending);

    await waitFor(() => all.length === 2 && users.length === 1, { what: 'both deliveries' });
    expect(calledDuringPublish).toBe(false);
    expect(users).toEqual([registered]);
    expect(all.map((e) => e.id)).toEqual([registered.id, session.id]);
  });

  it('hands each delivery its own copy, as a broker would', async () => {
    const seen: EventEnvelope[] = [];
    const handler = async (event: EventEnvelope) => {
      (event.payload as { n: number }).n++;
      seen.push(event);
    };
    await bus.consume({ queue: 'a', patterns: ['x.y.z'], handler });
    await bus.consume({ queue: 'b', patterns: ['x.y.z'], handler });
    const event = createEnvelope('x', 'x.y.z', { n: 1 });
    await bus.publish(event);
    await waitFor(() => seen.length === 2);
    expect(seen.map((e) => e.payload)).toEqual([{ n: 2 }, { n: 2 }]);
    expect(event.payload).toEqual({ n: 1 });
  });

  it('retries a failing handler with backoff until it succeeds', async () => {
    const attempts: number[] = [];
    let done = false;
    await bus.consume({
      queue: 'retrying',
      patterns: ['billing.#'],
      maxAttempts: 5,
      backoffMs: [10, 30],
      handler: async () => {
        attempts.push(Date.now());
        if (attempts.length < 3) throw new Error('not yet');
        done = true;
      },
    });
    await bus.publish(createEnvelope('billing', 'billing.invoice.paid', {}));
    await waitFor(() => done, { what: 'success on the third attempt' });
    expect(attempts).toHaveLength(3);
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(9);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(29);
    expect(bus.deadLetters()).toEqual([]);
  });

  it('dead-letters an event after maxAttempts', async () => {
    let calls = 0;
    await bus.consume({
      queue: 'failing',
      patterns: ['*.*.failed'],
      maxAttempts: 3,
      backoffMs: [5],
      handler: async () => {
        calls++;
        throw new Error('boom');
      },
    });
    const event = createEnvelope('chat', 'chat.message.failed', { id: 1 });
    await bus.publish(event);
    await waitFor(() => bus.deadLetters('failing').length === 1, { what: 'the dead letter' });
    expect(calls).toBe(3);
    expect(bus.deadLetters('failing')[0]).toEqual({ queue: 'failing', event, attempts: 3, error: 'boom' });
  });

  it('keeps events for a bound queue while it has no consumer', async () => {
    const first = await bus.consume({ queue: 'durable', patterns: ['a.b.c'], handler: async () => {} });
    await first.close();
    const event = createEnvelope('a', 'a.b.c', {});
    await bus.publish(event);
    const seen: EventEnvelope[] = [];
    await bus.consume({ queue: 'durable', patterns: ['a.b.c'], handler: async (e) => void seen.push(e) });
    await waitFor(() => seen.length === 1);
    expect(seen[0]).toEqual(event);
  });

  it('runs at most `prefetch` handlers of a consumer at once', async () => {
    const small = createMemoryBus({ prefetch: 2 });
    let running = 0;
    let peak = 0;
    let finished = 0;
    await small.consume({
      queue: 'slow',
      patterns: ['#'],
      handler: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        finished++;
      },
    });
    for (let i = 0; i < 6; i++) await small.publish(createEnvelope('a', 'a.b.c', { i }));
    await waitFor(() => finished === 6);
    expect(peak).toBe(2);
    await small.close();
  });
});

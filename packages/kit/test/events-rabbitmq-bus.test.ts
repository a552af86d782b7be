import { startTcpProxy, type TcpProxy } from '../../testkit/src/tcp-proxy.js';
import { createEnvelope, type EventEnvelope } from '../src/events/envelope.js';
import {
  ATTEMPT_HEADER,
  ERROR_HEADER,
  createRabbitMqBus,
  deadLetterQueueName,
  retryQueueName,
  type RabbitMqBus,
} from '../src/events/rabbitmq-bus.js';
import { AMQP_URL, amqpUrlVia, deleteTopology, getMessages, testLogger, withChannel } from './fixtures/events-amqp.js';
import { uniqueName, waitFor } from './fixtures/events-wait.js';

describe('RabbitMQ bus', () => {
  let exchange: string;
  let queues: string[];
  let buses: RabbitMqBus[];
  let proxies: TcpProxy[];

  function bus(url = AMQP_URL): RabbitMqBus {
    const created = createRabbitMqBus({ url, exchange, logger: testLogger, reconnectMaxMs: 200, publishTimeoutMs: 2_000 });
    buses.push(created);
    return created;
  }

  function queue(label: string): string {
    const name = uniqueName(label);
    queues.push(name);
    return name;
  }

  beforeEach(() => {
    exchange = uniqueName('exchange');
    queues = [];
    buses = [];
    proxies = [];
  });

  afterEach(async () => {
    for (const b of buses) await b.close();
    for (const p of proxies) await p.close();
    await deleteTopology(exchange, queues);
  });

  it('delivers a published event to a queue bound to a matching pattern', async () => {
    const b = bus();
    const q = queue('deliver');
    const seen: EventEnvelope[] = [];
    await b.consume({ queue: q, patterns: ['auth.user.*'], handler: async (e) => void seen.push(e) });

    const other = createEnvelope('auth', 'auth.session.created', {});
    const event = createEnvelope('auth', 'auth.user.registered', { userId: 'u1', at: new Date(0).toISOString() });
    await b.publish(other);
    await b.publish(event);

    await waitFor(() => seen.length > 0, { what: 'the delivery' });
    // Had the unmatched event been routed here, it would have arrived first.
    expect(seen).toEqual([event]);
    // Acked: closing the bus would otherwise requeue it.
    await b.close();
    expect(await getMessages(q)).toEqual([]);
  });

  it('publishes persistent messages with the event id as message id', async () => {
    const b = bus();
    const q = queue('props');
    // Bind a queue without consuming it, so the message can be inspected.
    const sub = await b.consume({ queue: q, patterns: ['files.file.uploaded'], handler: async () => {} });
    await sub.close();
    const event = createEnvelope('files', 'files.file.uploaded', { fileId: 'f1' });
    await b.publish(event);

    const [message] = await waitFor(() => getMessages(q).then((m) => (m.length === 1 ? m : undefined)));
    expect(JSON.parse(message.content.toString())).toEqual(event);
    expect(message.properties).toMatchObject({
      messageId: event.id,
      contentType: 'application/json',
      deliveryMode: 2,
      type: 'files.file.uploaded',
      appId: 'files',
    });
  });

  it('retries a failing handler through the retry queues until it succeeds', async () => {
    const b = bus();
    const q = queue('retry');
    const calls: number[] = [];
    let succeeded: EventEnvelope | undefined;
    await b.consume({
      queue: q,
      patterns: ['billing.#'],
      maxAttempts: 4,
      backoffMs: [50, 100],
      handler: async (event) => {
        calls.push(Date.now());
        if (calls.length < 3) throw new Error(`failure ${calls.length}`);
        succeeded = event;
      },
    });
    const event = createEnvelope('billing', 'billing.invoice.paid', { invoiceId: 'i1' });
    await b.publish(event);

    await waitFor(() => succeeded, { what: 'the third attempt to succeed' });
    expect(succeeded).toEqual(event);
    expect(calls).toHaveLength(3);
    // The retry queues' TTLs hold the event back.
    expect(calls[1] - calls[0]).toBeGreaterThanOrEqual(45);
    expect(calls[2] - calls[1]).toBeGreaterThanOrEqual(95);
    await withChannel(async (channel) => {
      for (const n of [1, 2, 3]) await channel.checkQueue(retryQueueName(q, n));
    });
    expect(await getMessages(deadLetterQueueName(q))).toEqual([]);
  });

  it('moves an event to <queue>.dlq after maxAttempts', async () => {
    const b = bus();
    const q = queue('dlq');
    let calls = 0;
    await b.consume({
      queue: q,
      patterns: ['chat.#'],
      maxAttempts: 3,
      backoffMs: [20],
      handler: async () => {
        calls++;
        throw new Error('handler is broken');
      },
    });
    const event = createEnvelope('chat', 'chat.message.sent', { messageId: 'm1' });
    await b.publish(event);

    const dead = await waitFor(
      () => getMessages(deadLetterQueueName(q)).then((m) => (m.length > 0 ? m : undefined)),
      { what: 'the dead letter' },
    );
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0].content.toString())).toEqual(event);
    expect(dead[0].properties.messageId).toBe(event.id);
    expect(dead[0].properties.headers).toMatchObject({ [ATTEMPT_HEADER]: 3, [ERROR_HEADER]: 'handler is broken' });
    expect(calls).toBe(3);
    expect(await getMessages(q)).toEqual([]);
  });

  it('dead-letters a message that is not an event envelope without calling the handler', async () => {
    const b = bus();
    const q = queue('garbage');
    let calls = 0;
    await b.consume({ queue: q, patterns: ['users.#'], handler: async () => void calls++ });
    await withChannel(async (channel) => {
      channel.publish(exchange, 'users.profile.updated', Buffer.from('not json'));
      await channel.waitForConfirms();
    });
    const dead = await waitFor(() => getMessages(deadLetterQueueName(q)).then((m) => (m.length > 0 ? m : undefined)));
    expect(dead[0].content.toString()).toBe('not json');
    expect(dead[0].properties.headers).toMatchObject({ [ERROR_HEADER]: 'not an event envelope' });
    expect(calls).toBe(0);
  });

  it('rejects consume when the broker refuses the topology, and stays usable', async () => {
    const b = bus();
    const q = queue('refused');
    const first = await b.consume({ queue: q, patterns: ['a.b.c'], maxAttempts: 2, backoffMs: [50], handler: async () => {} });
    await first.close();
    // Another TTL for the same retry queue is refused by the broker.
    await expect(
      b.consume({ queue: q, patterns: ['a.b.c'], maxAttempts: 2, backoffMs: [60], handler: async () => {} }),
    ).rejects.toThrow(/PRECONDITION_FAILED/);
    expect(b.isConnected()).toBe(true);
    const seen: string[] = [];
    await b.consume({ queue: q, patterns: ['a.b.c'], maxAttempts: 2, backoffMs: [50], handler: async (e) => void seen.push(e.id) });
    const event = createEnvelope('a', 'a.b.c', {});
    await b.publish(event);
    await waitFor(() => seen.includes(event.id));
  });

  it('rejects publish while the broker is unreachable and recovers consumers when it is back', async () => {
    const proxy = await startTcpProxy('127.0.0.1', Number(new URL(AMQP_URL).port || 5672));
    proxies.push(proxy);
    const b = bus(amqpUrlVia(proxy.port));
    const q = queue('reconnect');
    const seen: string[] = [];
    await b.consume({ queue: q, patterns: ['projects.#'], handler: async (e) => void seen.push(e.id) });
    const before = createEnvelope('projects', 'projects.project.created', { n: 1 });
    await b.publish(before);
    await waitFor(() => seen.includes(before.id), { what: 'the first delivery' });

    await proxy.cut();
    await waitFor(() => !b.isConnected(), { what: 'the bus to notice' });
    await expect(b.publish(createEnvelope('projects', 'projects.project.created', { n: 2 }))).rejects.toThrow();

    proxy.restore();
    await waitFor(() => b.isConnected(), { what: 'the reconnect' });
    const after = createEnvelope('projects', 'projects.project.created', { n: 3 });
    await b.publish(after);
    await waitFor(() => seen.includes(after.id), { what: 'a delivery to the re-created consumer' });
  });

  it('times out a publish on a silent connection and replaces the connection', async () => {
    const proxy = await startTcpProxy('127.0.0.1', Number(new URL(AMQP_URL).port || 5672));
    proxies.push(proxy);
    const b = createRabbitMqBus({
      url: amqpUrlVia(proxy.port),
      exchange,
      logger: testLogger,
      publishTimeoutMs: 300,
      heartbeatSeconds: 1,
      reconnectMaxMs: 200,
    });
    buses.push(b);
    const q = queue('silent');
    const seen: string[] = [];
    await b.consume({ queue: q, patterns: ['admin.#'], handler: async (e) => void seen.push(e.id) });

    proxy.freeze();
    await expect(b.publish(createEnvelope('admin', 'admin.role.granted', {}))).rejects.toThrow(/not confirmed within 300ms/);
    // Missed heartbeats reveal the dead peer; the new connection goes through the proxy again.
    await waitFor(() => !b.isConnected(), { what: 'the heartbeat timeout' });
    await waitFor(() => b.isConnected(), { what: 'the reconnect' });
    const event = createEnvelope('admin', 'admin.role.granted', {});
    await b.publish(event);
    await waitFor(() => seen.includes(event.id), { what: 'the delivery' });
  });

  it('consume waits for the broker and resolves once the queue is bound', async () => {
    const proxy = await startTcpProxy('127.0.0.1', Number(new URL(AMQP_URL).port || 5672));
    proxies.push(proxy);
    await proxy.cut();
    const b = bus(amqpUrlVia(proxy.port));
    const q = queue('late');
    const seen: string[] = [];
    let bound = false;
    const consuming = b.consume({ queue: q, patterns: ['mcp.#'], handler: async (e) => void seen.push(e.id) }).then((sub) => {
      bound = true;
      return sub;
    });
    await waitFor(() => proxy.refused >= 2, { what: 'failed connection attempts' });
    await expect(b.publish(createEnvelope('mcp', 'mcp.server.connected', {}))).rejects.toThrow(/not connected/);
    expect(bound).toBe(false);

    proxy.restore();
    await consuming;
    const event = createEnvelope('mcp', 'mcp.server.connected', {});
    await b.publish(event);
    await waitFor(() => seen.includes(event.id), { what: 'the delivery' });
  });
});

// Events are declared once by their producer: recording checks a payload against its schema
// before it reaches the outbox, and a consumer gets the contract's payload, typed and checked.
import { z } from 'zod';
import { consumer, createEnvelope, createLogger, defineEvents, type RawSql } from '../src/index.js';

const ordersEvents = defineEvents('orders', {
  'orders.order.placed': z.object({ orderId: z.string().uuid(), total: z.number().int() }).describe('an order was placed'),
});

// An outbox that keeps what it is asked to write.
function fakeTx() {
  const written: unknown[][] = [];
  const tx: RawSql = {
    $executeRawUnsafe: async (_query, ...values) => {
      written.push(values);
      return 1;
    },
    $queryRawUnsafe: async () => [] as never,
  };
  return { tx, written };
}

const ORDER = '0b7f6f9e-8d7a-4c4e-9a53-3f1f4b0f2a11';
const logger = createLogger('contracts-test', 'silent');

test('a producer records only payloads its contract allows', async () => {
  const { tx, written } = fakeTx();
  const event = await ordersEvents.record(tx, 'orders.order.placed', { orderId: ORDER, total: 42 });
  expect(event).toMatchObject({ type: 'orders.order.placed', source: 'orders', payload: { orderId: ORDER, total: 42 } });
  // @ts-expect-error total must be a number: the compiler refuses it, and so does the schema
  await expect(ordersEvents.record(tx, 'orders.order.placed', { orderId: ORDER, total: 'a lot' })).rejects.toThrow(/total/);
  expect(written).toHaveLength(1);
});

test('routing keys must belong to the producer', () => {
  expect(() => defineEvents('orders', { 'billing.invoice.paid': z.object({}) })).toThrow(/must start with its source service "orders."/);
});

test('a consumer receives the typed payload and refuses one that breaks the contract', async () => {
  const seen: number[] = [];
  const placed = consumer(ordersEvents, 'shipping.order-events', {
    'orders.order.placed': async (payload, _event, app: { seen: number[] }) => {
      app.seen.push(payload.total);
      // @ts-expect-error the contract has no such field: reading it fails `npm run typecheck`
      void payload.customerName;
    },
  });
  expect(placed.types).toEqual(['orders.order.placed']);
  const { handler, patterns, queue } = placed.options({ seen }, logger);
  expect({ queue, patterns }).toEqual({ queue: 'shipping.order-events', patterns: ['orders.order.placed'] });

  await handler(createEnvelope('orders', 'orders.order.placed', { orderId: ORDER, total: 7 }));
  expect(seen).toEqual([7]);
  // A malformed payload throws, so the bus retries and then dead-letters it; the handler never sees it.
  await expect(handler(createEnvelope('orders', 'orders.order.placed', { orderId: 'nope', total: 8 }))).rejects.toThrow(/orderId/);
  expect(seen).toEqual([7]);
});

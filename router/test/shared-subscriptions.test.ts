// How identical subscriptions share one upstream: a subscriber joins only one that has
// delivered nothing yet (so it sees what it would have seen alone), events reach everyone in
// order even when resolving them takes different times, a slow subscriber is ended rather than
// buffered without bound, and the upstream closes when the last subscriber leaves.
import { createLogger } from '@builderai/kit';
import { ResultQueue } from '../src/subscriptions/result-queue.js';
import { SharedSubscriptions, type SharedSource } from '../src/subscriptions/shared-subscriptions.js';
import type { UpstreamHandlers } from '../src/subscriptions/upstream.js';
import { appError } from '@builderai/kit';

const logger = createLogger('test', 'silent');

/** An upstream the test drives by hand; events resolve after the delay they name. */
function manualSource() {
  const upstreams: Array<{ handlers: UpstreamHandlers; closed: boolean }> = [];
  const source = (): SharedSource => ({
    open(handlers) {
      const upstream = { handlers, closed: false };
      upstreams.push(upstream);
      return () => (upstream.closed = true);
    },
    resolve: async (event) => {
      const { n, delayMs } = event.data as { n: number; delayMs: number };
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { data: { n } };
    },
  });
  return { upstreams, source };
}

/** A subscriber's queue joined to the shared subscription, released into it as the router does. */
function subscribe(shared: SharedSubscriptions, source: () => SharedSource, max = 100) {
  const releases = { count: 0 };
  let leave = () => {};
  const q = new ResultQueue(max, () => appError('RATE_LIMITED', 'too slow'), () => {
    releases.count++;
    leave();
  });
  leave = shared.join('k', q, source);
  return Object.assign(q, { releases });
}

async function take(q: ResultQueue, count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push(((await q.next()).value as { data: { n: number } }).data.n);
  return seen;
}

test('subscribers join an upstream only until its first event; each gets every event after, in order', async () => {
  const shared = new SharedSubscriptions(logger);
  const { upstreams, source } = manualSource();
  const a = subscribe(shared, source);
  const b = subscribe(shared, source);
  expect(upstreams).toHaveLength(1);
  expect(shared.upstreams).toBe(1);

  // Resolving the first event takes longer than the second: order still holds.
  upstreams[0]!.handlers.next({ data: { n: 1, delayMs: 40 } });
  upstreams[0]!.handlers.next({ data: { n: 2, delayMs: 0 } });
  const c = subscribe(shared, source);
  expect(upstreams).toHaveLength(2);
  expect(await take(a, 2)).toEqual([1, 2]);
  expect(await take(b, 2)).toEqual([1, 2]);

  await a.return();
  expect(upstreams[0]!.closed).toBe(false);
  await b.return();
  expect(upstreams[0]!.closed).toBe(true);
  await c.return();
  expect(shared.upstreams).toBe(0);
});

test('an upstream that breaks ends every subscriber after the events before it', async () => {
  const shared = new SharedSubscriptions(logger);
  const { upstreams, source } = manualSource();
  const a = subscribe(shared, source);
  upstreams[0]!.handlers.next({ data: { n: 1, delayMs: 20 } });
  upstreams[0]!.handlers.interrupted('closed with 1001');
  expect(await take(a, 1)).toEqual([1]);
  await expect(a.next()).rejects.toMatchObject({ extensions: { code: 'UNAVAILABLE' } });
  expect(a.releases.count).toBe(1);
  expect(shared.upstreams).toBe(0);
});

test('a subscriber that falls too far behind is ended; the others go on', async () => {
  const shared = new SharedSubscriptions(logger);
  const { upstreams, source } = manualSource();
  const slow = subscribe(shared, source, 3);
  const fast = subscribe(shared, source);
  for (let n = 1; n <= 5; n++) upstreams[0]!.handlers.next({ data: { n, delayMs: 0 } });
  expect(await take(fast, 5)).toEqual([1, 2, 3, 4, 5]);
  expect(await take(slow, 3)).toEqual([1, 2, 3]);
  await expect(slow.next()).rejects.toMatchObject({ message: 'too slow' });
  expect(slow.releases.count).toBe(1);
  expect(upstreams[0]!.closed).toBe(false);
});

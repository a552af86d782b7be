// Leased rate-limit units against real Redis: instances sharing a window never let more than
// the limit through together, a busy caller costs one Redis call per lease, and a spent window
// is refused from memory until it resets.
import { randomUUID } from 'node:crypto';
import type { Infrastructure, KeyValueStore } from '@builderai/kit';
import { RateLimitLeases } from '../src/rate-limits/leases.js';
import { connectTestInfrastructure } from './helpers.js';

let infra: Infrastructure;
let hits: number;
const open: RateLimitLeases[] = [];

beforeAll(async () => {
  infra = await connectTestInfrastructure();
});
afterAll(() => infra.close());
afterEach(() => open.splice(0).forEach((leases) => leases.close()));

function countingStore(store: KeyValueStore): KeyValueStore {
  return { ...store, hit: (key, windowMs, units) => ((hits += 1), store.hit(key, windowMs, units)) };
}

function instance(windowMs = 60_000, store = countingStore(infra.store)): RateLimitLeases {
  const leases = new RateLimitLeases(store, windowMs);
  open.push(leases);
  return leases;
}

beforeEach(() => {
  hits = 0;
});

test('three instances sharing a window let exactly the limit through, and refuse the rest with the time left', async () => {
  const key = `ratelimit:user:${randomUUID()}`;
  const limit = 500; // leases of 5 units
  const routers = [instance(), instance(), instance()];
  const admissions = await Promise.all(Array.from({ length: 700 }, (_, i) => routers[i % 3]!.admit(key, limit)));
  const allowed = admissions.filter((admission) => admission.allowed).length;
  // Units left unused in a lease are lost with the window: at most one lease short per instance.
  expect(allowed).toBeLessThanOrEqual(limit);
  expect(allowed).toBeGreaterThanOrEqual(limit - 3 * 4);
  const refused = admissions.filter((admission) => !admission.allowed);
  expect(refused.length).toBe(700 - allowed);
  for (const { retryAfterMs } of refused) {
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
  }
});

test('concurrent requests of one caller share one lease: one Redis call for a lease’s worth', async () => {
  const key = `ratelimit:user:${randomUUID()}`;
  const leases = instance();
  const admissions = await Promise.all(Array.from({ length: 100 }, () => leases.admit(key, 10_000))); // leases of 100
  expect(admissions.every((admission) => admission.allowed)).toBe(true);
  expect(hits).toBe(1);
  expect((await leases.admit(key, 10_000)).allowed).toBe(true);
  expect(hits).toBe(2);
});

test('a low limit is counted per request, exactly', async () => {
  const key = `ratelimit:ip:${randomUUID()}`;
  const leases = instance();
  const allowed = [];
  for (let i = 0; i < 5; i++) allowed.push((await leases.admit(key, 3)).allowed);
  expect(allowed).toEqual([true, true, true, false, false]);
  // The third unit spent the window, so the refusals after it need no Redis call.
  expect(hits).toBe(3);
});

test('a spent window opens again once it resets', async () => {
  const key = `ratelimit:ip:${randomUUID()}`;
  const leases = instance(300);
  expect((await leases.admit(key, 1)).allowed).toBe(true);
  expect((await leases.admit(key, 1)).allowed).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 350));
  expect((await leases.admit(key, 1)).allowed).toBe(true);
});

test('a store that cannot be reached makes admit throw (the plugin then serves unlimited)', async () => {
  const broken: KeyValueStore = { ...infra.store, hit: async () => Promise.reject(new Error('connection refused')) };
  const leases = instance(60_000, broken);
  await expect(leases.admit(`ratelimit:ip:${randomUUID()}`, 10)).rejects.toThrow('connection refused');
});

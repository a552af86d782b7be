// The benchmark's auth+limits cost figure: window order, the sums behind it, and CPU time read
// from /proc.
import { alternatingOrder, summarizeAuthCost } from '../../bench/auth-cost.js';
import { cpuSecondsOf } from '../../bench/cpu-time.js';

test('windows alternate off, on, on, off so that each side goes first equally often', () => {
  expect(alternatingOrder(4)).toEqual(['off', 'on', 'on', 'off', 'off', 'on', 'on', 'off']);
  expect(alternatingOrder(0)).toEqual([]);
});

test('throughput and CPU per request are summed over all windows of each side', () => {
  const cost = summarizeAuthCost([
    { which: 'off', requests: 1000, seconds: 1, cpuSeconds: 1, answered: 2000 },
    { which: 'on', requests: 900, seconds: 1, cpuSeconds: 1.1, answered: 2000 },
    { which: 'on', requests: 1900, seconds: 2, cpuSeconds: 1.1, answered: 2000 },
    { which: 'off', requests: 3000, seconds: 3, cpuSeconds: 1, answered: 2000 },
  ]);
  expect(cost.requestsPerSecond).toEqual({ off: 1000, on: 2800 / 3 });
  expect(cost.throughputCost).toBeCloseTo(1 - 2800 / 3 / 1000);
  expect(cost.cpuMicrosecondsPerRequest.off).toBeCloseTo(500);
  expect(cost.cpuMicrosecondsPerRequest.on).toBeCloseTo(550);
  expect(cost.cpuCost).toBeCloseTo(0.1);
  expect(cost.summary).toContain('10.0% more router CPU per request');
});

test("a process's CPU time grows while it works", () => {
  const before = cpuSecondsOf(process.pid);
  const until = Date.now() + 150;
  let spin = 0;
  while (Date.now() < until) spin += 1;
  expect(spin).toBeGreaterThan(0);
  expect(cpuSecondsOf(process.pid) - before).toBeGreaterThanOrEqual(0.1);
});

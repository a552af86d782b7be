// Admission of plans: at most `limit` run at once and the rest wait in order; the limit comes
// down while the event loop is busy all the time and goes up while it idles and requests wait.
import { AdaptiveAdmission } from '../../src/plan-executor/admission.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

test('runs at most the limit at once, the others in their order, each exactly once', async () => {
  const admission = new AdaptiveAdmission({ initial: 2, min: 1, utilization: () => 0.5 });
  const started: number[] = [];
  const gates = Array.from({ length: 5 }, () => gate());
  const runs = gates.map((entry, index) =>
    admission.run(async () => {
      started.push(index);
      await entry.opened;
      return index;
    }),
  );
  await Promise.resolve();
  expect(started).toEqual([0, 1]);
  expect(admission.queued).toBe(3);
  gates[1]!.open();
  await runs[1];
  await new Promise((resolve) => setImmediate(resolve));
  expect(started).toEqual([0, 1, 2]);
  for (const entry of gates) entry.open();
  expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
  expect(started).toEqual([0, 1, 2, 3, 4]);
  expect(admission.queued).toBe(0);
});

test('a failing plan frees its place', async () => {
  const admission = new AdaptiveAdmission({ initial: 1, utilization: () => 0.5 });
  await expect(admission.run(async () => Promise.reject(new Error('subgraph down')))).rejects.toThrow('subgraph down');
  await expect(admission.run(async () => 'next')).resolves.toBe('next');
});

test('the limit follows the event loop: down while it is busy, up while it idles and plans wait', async () => {
  let busy = 1;
  const admission = new AdaptiveAdmission({ initial: 20, min: 4, max: 30, utilization: () => busy });
  admission.adjust();
  expect(admission.limit).toBe(18);
  for (let i = 0; i < 30; i++) admission.adjust();
  expect(admission.limit).toBe(4);
  // Between the two thresholds: left as it is.
  busy = 0.9;
  const holding = gate();
  const waiting = Array.from({ length: 6 }, () => admission.run(() => holding.opened));
  admission.adjust();
  expect(admission.limit).toBe(4);
  holding.open();
  await Promise.all(waiting);
  busy = 0.3;
  // Nothing waits: no reason to raise it.
  admission.adjust();
  expect(admission.limit).toBe(4);
  const held = gate();
  const runs = Array.from({ length: 10 }, () => admission.run(() => held.opened));
  await Promise.resolve();
  expect(admission.queued).toBe(6);
  admission.adjust();
  expect(admission.limit).toBe(5);
  expect(admission.queued).toBe(5);
  for (let i = 0; i < 50; i++) admission.adjust();
  expect(admission.limit).toBe(10);
  expect(admission.queued).toBe(0);
  held.open();
  await Promise.all(runs);
});

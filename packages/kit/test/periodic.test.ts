// The periodic task behind retention and the files sweeper: passes never overlap, run on
// schedule, survive a failing pass, and stop waits for the running one.
import { startPeriodic } from '../src/periodic.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('passes asked for together run one after the other, never at once', async () => {
  let running = 0;
  let most = 0;
  const task = startPeriodic(
    async () => {
      running += 1;
      most = Math.max(most, running);
      await sleep(20);
      running -= 1;
      return most;
    },
    { intervalMs: 0, onError: () => {} },
  );
  await Promise.all([task.runNow(), task.runNow(), task.runNow()]);
  expect(most).toBe(1);
  await task.stop();
});

test('runs on schedule, keeps going after a failed pass, and reports the failure', async () => {
  let passes = 0;
  const errors: unknown[] = [];
  const task = startPeriodic(
    async () => {
      passes += 1;
      if (passes === 1) throw new Error('first pass fails');
    },
    { intervalMs: 20, onError: (error) => errors.push(error) },
  );
  await sleep(150);
  await task.stop();
  expect(passes).toBeGreaterThanOrEqual(3);
  expect(errors).toHaveLength(1);
  const after = passes;
  await sleep(60);
  expect(passes).toBe(after);
});

test('runNow rejects with the pass, and stop waits for a running pass', async () => {
  let finished = false;
  const task = startPeriodic(
    async () => {
      await sleep(30);
      finished = true;
      throw new Error('no');
    },
    { intervalMs: 0, onError: () => {} },
  );
  const pass = task.runNow();
  await task.stop();
  expect(finished).toBe(true);
  await expect(pass).rejects.toThrow('no');
});

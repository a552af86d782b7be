import { createMemoryStore } from '@builderai/kit/store/memory-store';
import { createLoginThrottle, failureDelayMs } from '../src/domain/login-throttle.js';

const settings = { maxFailuresPerAccount: 3, maxFailuresPerIp: 5, windowMs: 60_000, delayStepMs: 0, delayMaxMs: 0 };

describe('login throttle', () => {
  const store = createMemoryStore();
  afterAll(() => store.close());

  it('locks an account out after its limit, with a retry-after', async () => {
    const throttle = createLoginThrottle(store, settings);
    for (let i = 0; i < 3; i++) {
      await throttle.assertAllowed('a@example.com', '10.0.0.1');
      await throttle.failed('a@example.com', '10.0.0.1');
    }
    await expect(throttle.assertAllowed('a@example.com', '10.0.0.2')).rejects.toMatchObject({
      extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
    });
    await expect(throttle.assertAllowed('b@example.com', '10.0.0.2')).resolves.toBeUndefined();
  });

  it('locks an IP out after its limit, across accounts', async () => {
    const throttle = createLoginThrottle(store, settings);
    for (let i = 0; i < 5; i++) await throttle.failed(`user${i}@example.com`, '10.0.1.1');
    await expect(throttle.assertAllowed('fresh@example.com', '10.0.1.1')).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await expect(throttle.assertAllowed('fresh@example.com', '10.0.1.2')).resolves.toBeUndefined();
  });

  it('forgets an account after a success', async () => {
    const throttle = createLoginThrottle(store, settings);
    await throttle.failed('c@example.com');
    await throttle.failed('c@example.com');
    await throttle.succeeded('c@example.com');
    await throttle.failed('c@example.com');
    await throttle.failed('c@example.com');
    await expect(throttle.assertAllowed('c@example.com')).resolves.toBeUndefined();
  });

  it('answers each failure a little later, up to a cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => failureDelayMs(n, 100, 1000))).toEqual([0, 100, 200, 400, 800, 1000, 1000]);
    expect(failureDelayMs(5, 0, 1000)).toBe(0);
  });
});

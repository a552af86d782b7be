// The breaker: closed until `failures` in a row, then open (calls refused at once) for about
// `openMs`, then one trial at a time; a success closes it.
import { CircuitBreaker, CircuitOpenError } from '../src/connections/breaker.js';

test('opens after the failures in a row, lets one trial through after the open period, closes on success', () => {
  let now = 0;
  const breaker = new CircuitBreaker({ failures: 2, openMs: 1000, jitter: 0.2, now: () => now, random: () => 1 });
  breaker.admit();
  breaker.failure('refused');
  expect(breaker.state).toBe('closed');
  breaker.failure('refused');
  expect(breaker.state).toBe('open');
  expect(() => breaker.admit()).toThrow(CircuitOpenError);
  expect(() => breaker.admit()).toThrow(/not answering \(refused\)/);
  // The open period has its jitter: 1000 ms × 1.2 here.
  now = 1100;
  expect(breaker.state).toBe('open');
  now = 1201;
  expect(breaker.state).toBe('half-open');
  breaker.admit();
  // Only one trial at a time.
  expect(() => breaker.admit()).toThrow(CircuitOpenError);
  breaker.failure('still refused');
  expect(breaker.state).toBe('open');
  now = 3000;
  breaker.admit();
  breaker.success();
  expect(breaker.state).toBe('closed');
  expect(breaker.settled).toBe(true);
  breaker.admit();
});

test('a success between failures starts the count again', () => {
  const breaker = new CircuitBreaker({ failures: 2, openMs: 1000 });
  breaker.failure('x');
  breaker.success();
  breaker.failure('x');
  expect(breaker.state).toBe('closed');
});

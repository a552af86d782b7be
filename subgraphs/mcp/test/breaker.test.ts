// The breaker: closed until `failures` in a row, then open (calls refused at once) for about
// `openMs`, then one trial at a time; a success closes it. In the pool, a trial the server
// answered (even with an error) closes it, and one that says nothing (a timeout) frees the trial.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '@builderai/kit';
import { CircuitBreaker, CircuitOpenError } from '../src/connections/breaker.js';
import { ConnectionPool } from '../src/connections/pool.js';

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

describe('in the pool', () => {
  const endpoint = { id: 's1', userId: 'u1', transport: 'STREAMABLE_HTTP' as const, urls: ['http://127.0.0.1:1/mcp'], command: null, headers: {}, timeoutMs: 1000 };
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

  function poolWith(now: () => number) {
    let reachable = false;
    const pool = new ConnectionPool({
      open: async () => {
        if (!reachable) throw refused;
        return { client: {} as Client, url: endpoint.urls[0]!, urlIndex: 0, close: async () => undefined };
      },
      idleCloseMs: 60_000,
      maxConnections: 10,
      breaker: { failures: 1, openMs: 1000, jitter: 0, now },
      logger: createLogger('mcp-test', 'silent'),
    });
    return { pool, comeBack: () => (reachable = true) };
  }

  test("a trial answered with a tool's error closes the breaker; a trial that timed out lets the next call try", async () => {
    let now = 0;
    const { pool, comeBack } = poolWith(() => now);
    await expect(pool.use(endpoint, async () => 'never')).rejects.toThrow(/ECONNREFUSED/);
    await expect(pool.use(endpoint, async () => 'never')).rejects.toThrow(CircuitOpenError);
    comeBack();
    now = 1001;
    // The trial times out: nothing is known of the server, and the breaker does not stay stuck on it.
    await expect(pool.use(endpoint, async () => Promise.reject(new McpError(ErrorCode.RequestTimeout, 'timed out')))).rejects.toThrow(/timed out/);
    expect(pool.breakerFor(endpoint).state).toBe('half-open');
    // The next trial gets the tool's own error: the server answered, so calls flow again.
    await expect(pool.use(endpoint, async () => Promise.reject(new McpError(ErrorCode.InvalidParams, 'bad arguments')))).rejects.toThrow(/bad arguments/);
    expect(pool.breakerFor(endpoint).state).toBe('closed');
    await expect(pool.use(endpoint, async () => 'answered')).resolves.toBe('answered');
  });
});

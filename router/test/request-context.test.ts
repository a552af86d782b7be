// The small pieces of per-request work: the client's address, trace context, the token cache.
import type { IncomingMessage } from 'node:http';
import { clientIpOf } from '../src/identity/client-ip.js';
import { nextTraceparent } from '../src/subgraph-fetch/trace-context.js';
import { TokenCache } from '../src/identity/token-cache.js';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;

describe('clientIpOf', () => {
  test('uses the socket address unless proxies are trusted', () => {
    expect(clientIpOf(request('::ffff:192.0.2.1', '198.51.100.9'), 0)).toBe('192.0.2.1');
  });

  test('behind n trusted proxies, takes the address the outermost one saw', () => {
    expect(clientIpOf(request('10.0.0.1', '198.51.100.9'), 1)).toBe('198.51.100.9');
    expect(clientIpOf(request('10.0.0.1', '6.6.6.6, 198.51.100.9'), 1)).toBe('198.51.100.9');
    expect(clientIpOf(request('10.0.0.1', '198.51.100.9, 10.0.0.2'), 2)).toBe('198.51.100.9');
    expect(clientIpOf(request('10.0.0.1'), 1)).toBe('10.0.0.1');
  });
});

describe('nextTraceparent', () => {
  test('keeps the trace id and flags of a valid traceparent, with a new parent id', () => {
    const next = nextTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');
    expect(next).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
    expect(next).not.toContain('00f067aa0ba902b7');
  });

  test('starts a new trace when there is none or it is malformed', () => {
    for (const incoming of [undefined, 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01']) {
      expect(nextTraceparent(incoming)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }
  });
});

describe('TokenCache', () => {
  test('keeps an identity until its expiry', () => {
    const cache = new TokenCache();
    cache.set('t', { userId: 'u', roles: [] }, 1_000);
    expect(cache.get('t', 999)).toEqual({ userId: 'u', roles: [] });
    expect(cache.get('t', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test('drops the oldest entry past its size', () => {
    const cache = new TokenCache(2);
    for (const token of ['a', 'b', 'c']) cache.set(token, { roles: [] }, Number.MAX_SAFE_INTEGER);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });
});

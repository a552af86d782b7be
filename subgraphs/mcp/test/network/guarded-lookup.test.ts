import type { LookupAddress, LookupOptions } from 'node:dns';
import { once } from 'node:events';
import type { AddressInfo, LookupFunction } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { parseNetworkPolicy, PUBLIC_ONLY } from '../../src/network/address-policy.js';
import { guardedLookup } from '../../src/network/guarded-fetch.js';
import type { HostLookup } from '../../src/network/resolve-host.js';
import { checkServerUrl, UnsafeUrlError } from '../../src/network/safe-url.js';

const LOOPBACK = parseNetworkPolicy('loopback');

/** DNS as a script: each lookup of a name takes the next answer, and keeps the last one. */
function scriptedLookup(script: Record<string, string[][]>): HostLookup {
  const asked: string[] = [];
  return async (hostname: string): Promise<LookupAddress[]> => {
    const answers = script[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const answer = answers[Math.min(asked.filter((name) => name === hostname).length, answers.length - 1)];
    asked.push(hostname);
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

/** What a lookup function calls back with, as a promise. */
function resolveWith(lookup: LookupFunction, hostname: string, options: LookupOptions): Promise<{ address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve, reject) => {
    lookup(hostname, options, (error, address, family) => (error ? reject(error) : resolve({ address, family })));
  });
}

describe('guardedLookup', () => {
  const lookup = scriptedLookup({ 'dual.test': [['127.0.0.1', '::1']], 'mixed.test': [['93.184.216.34', '10.0.0.1']], 'v6.test': [['::1']] });

  it('answers every allowed address, or the first, as the socket asks', async () => {
    const guarded = guardedLookup(LOOPBACK, lookup);
    await expect(resolveWith(guarded, 'dual.test', { all: true })).resolves.toEqual({
      address: [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ],
      family: undefined,
    });
    await expect(resolveWith(guarded, 'dual.test', {})).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(resolveWith(guarded, 'dual.test', { family: 6 })).resolves.toEqual({ address: '::1', family: 6 });
    await expect(resolveWith(guarded, 'dual.test', { family: 'IPv4', all: true })).resolves.toEqual({ address: [{ address: '127.0.0.1', family: 4 }], family: undefined });
    await expect(resolveWith(guarded, 'v6.test', { family: 4 })).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('takes the (hostname, callback) form too', async () => {
    const guarded = guardedLookup(LOOPBACK, lookup) as unknown as (hostname: string, callback: (error: Error | null, address: string) => void) => void;
    const address = await new Promise((resolve, reject) => guarded('dual.test', (error, found) => (error ? reject(error) : resolve(found))));
    expect(address).toBe('127.0.0.1');
  });

  it('refuses a name with any address the policy does not allow', async () => {
    await expect(resolveWith(guardedLookup(PUBLIC_ONLY, lookup), 'dual.test', { all: true })).rejects.toThrow(
      'dual.test resolves to 127.0.0.1, a loopback address; only public addresses can be reached',
    );
    await expect(resolveWith(guardedLookup(LOOPBACK, lookup), 'mixed.test', {})).rejects.toBeInstanceOf(UnsafeUrlError);
  });

  it('passes on what DNS could not resolve', async () => {
    await expect(resolveWith(guardedLookup(LOOPBACK, lookup), 'missing.test', {})).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  describe('with a WebSocket client', () => {
    let wss: WebSocketServer;
    let port: number;
    let connections = 0;

    beforeAll(async () => {
      wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      await once(wss, 'listening');
      port = (wss.address() as AddressInfo).port;
      wss.on('connection', (socket) => {
        connections++;
        socket.on('message', (data) => socket.send(data));
      });
    });

    beforeEach(() => {
      connections = 0;
    });

    afterAll(async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    });

    /** Opens a client and says how it ended: the echo of a message, or the error. */
    async function tryConnect(url: string, lookupFunction: LookupFunction): Promise<{ echo: string } | { error: Error }> {
      const client = new WebSocket(url, { lookup: lookupFunction });
      try {
        const failure = await new Promise<Error | undefined>((resolve) => {
          client.once('open', () => resolve(undefined));
          client.once('error', resolve);
        });
        if (failure) return { error: failure };
        client.send('ping');
        const [data] = await once(client, 'message');
        return { echo: String(data) };
      } finally {
        client.terminate();
      }
    }

    it('connects to a local server when loopback is allowed', async () => {
      const outcome = await tryConnect(`ws://mcp.test:${port}/`, guardedLookup(LOOPBACK, scriptedLookup({ 'mcp.test': [['127.0.0.1']] })));
      expect(outcome).toEqual({ echo: 'ping' });
      expect(connections).toBe(1);
    });

    it('never connects to it otherwise', async () => {
      const outcome = await tryConnect(`ws://mcp.test:${port}/`, guardedLookup(PUBLIC_ONLY, scriptedLookup({ 'mcp.test': [['127.0.0.1']] })));
      expect(outcome).toEqual({ error: expect.any(UnsafeUrlError) });
      expect((outcome as { error: Error }).error.message).toBe('mcp.test resolves to 127.0.0.1, a loopback address; only public addresses can be reached');
      expect(connections).toBe(0);
    });

    it('never connects to it when the name rebinds after the check', async () => {
      const lookup = scriptedLookup({ 'rebind.test': [['93.184.216.34'], ['127.0.0.1']] });
      const url = `ws://rebind.test:${port}/`;
      await expect(checkServerUrl(url, PUBLIC_ONLY, lookup)).resolves.toMatchObject({ addresses: ['93.184.216.34'] });
      const outcome = await tryConnect(url, guardedLookup(PUBLIC_ONLY, lookup));
      expect(outcome).toEqual({ error: expect.any(UnsafeUrlError) });
      expect(connections).toBe(0);
    });
  });
});

import type { LookupAddress } from 'node:dns';
import { getEventListeners, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseNetworkPolicy, PUBLIC_ONLY, type NetworkPolicy } from '../../src/network/address-policy.js';
import { createGuardedFetch, type GuardedFetch, type GuardedFetchOptions } from '../../src/network/guarded-fetch.js';
import type { HostLookup } from '../../src/network/resolve-host.js';
import { checkServerUrl, UnsafeUrlError } from '../../src/network/safe-url.js';

const LOOPBACK = parseNetworkPolicy('loopback');
const PUBLIC_ADDRESS = '93.184.216.34';

/** A local server that records what reached it. */
interface LocalServer {
  port: number;
  requests: { path: string; host: string | undefined }[];
  /** Resolves when the client goes away from a request to /stream. */
  streamClosed: Promise<void>;
}

let local: LocalServer;
let server: Server;
const fetches: GuardedFetch[] = [];

beforeAll(async () => {
  let streamClosed!: () => void;
  const requests: LocalServer['requests'] = [];
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://local');
    requests.push({ path: url.pathname + url.search, host: req.headers.host });
    switch (url.pathname) {
      case '/hello':
        res.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-served': 'yes' });
        res.end(JSON.stringify({ host: req.headers.host, method: req.method }));
        return;
      case '/empty':
        res.writeHead(204).end();
        return;
      case '/redirect':
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
        return;
      case '/oauth-error':
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client' }));
        return;
      case '/stream':
        // Headers and one event, then open until the client leaves.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: 1\n\n');
        res.on('close', () => streamClosed());
        return;
      case '/hang':
        return;
      default:
        res.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  local = {
    port: (server.address() as AddressInfo).port,
    requests,
    get streamClosed() {
      return new Promise<void>((resolve) => (streamClosed = resolve));
    },
  };
});

beforeEach(() => {
  local.requests.length = 0;
});

afterEach(async () => {
  await Promise.all(fetches.splice(0).map((guarded) => guarded.close()));
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

function guardedFetch(policy: NetworkPolicy, options?: GuardedFetchOptions): GuardedFetch {
  const guarded = createGuardedFetch(policy, options);
  fetches.push(guarded);
  return guarded;
}

/** DNS as a script: each lookup of a name takes the next answer, and keeps the last one. */
function scriptedLookup(script: Record<string, string[][]>): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (hostname: string): Promise<LookupAddress[]> => {
    const answers = script[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const answer = answers[Math.min(asked.filter((name) => name === hostname).length, answers.length - 1)];
    asked.push(hostname);
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { asked });
}

async function refusal(promise: Promise<unknown>): Promise<UnsafeUrlError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnsafeUrlError);
  return error as UnsafeUrlError;
}

const at = (path: string, host = '127.0.0.1') => `http://${host}:${local.port}${path}`;

describe('guarded fetch', () => {
  it('refuses a loopback server unless the configuration allows loopback', async () => {
    const lookup = scriptedLookup({ 'mcp.test': [['127.0.0.1']] });
    const fetch = guardedFetch(PUBLIC_ONLY, { lookup });
    const literal = await refusal(fetch(at('/hello')));
    expect(literal.message).toBe('127.0.0.1 is a loopback address; only public addresses can be reached');
    const named = await refusal(fetch(at('/hello', 'mcp.test')));
    expect(named.message).toBe('mcp.test resolves to 127.0.0.1, a loopback address; only public addresses can be reached');
    expect(local.requests).toEqual([]);
  });

  it('serves an allowed server, as a global Response', async () => {
    const fetch = guardedFetch(LOOPBACK);
    const response = await fetch(at('/hello'), { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.headers.get('x-served')).toBe('yes');
    expect(response.url).toBe(at('/hello'));
    expect(response.redirected).toBe(false);
    expect(await response.json()).toEqual({ host: `127.0.0.1:${local.port}`, method: 'POST' });
  });

  it('keeps the host name in the Host header while connecting to the checked address', async () => {
    const lookup = scriptedLookup({ 'mcp.test': [['127.0.0.1']] });
    const response = await guardedFetch(LOOPBACK, { lookup })(at('/hello', 'mcp.test'));
    expect(await response.json()).toEqual({ host: `mcp.test:${local.port}`, method: 'GET' });
    expect(lookup.asked).toEqual(['mcp.test']);
  });

  it('gives a bodiless status a null body', async () => {
    const response = await guardedFetch(LOOPBACK)(at('/empty'));
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('returns error responses the MCP SDK can read as OAuth errors', async () => {
    const response = await guardedFetch(LOOPBACK)(at('/oauth-error'));
    expect(response instanceof Response).toBe(true);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_client' });
  });

  it('never reaches a server a name rebinds to after the check', async () => {
    // Public when the URL is registered, loopback when the connection is made.
    const lookup = scriptedLookup({ 'rebind.test': [[PUBLIC_ADDRESS], ['127.0.0.1']] });
    const url = at('/hello', 'rebind.test');
    await expect(checkServerUrl(url, PUBLIC_ONLY, lookup)).resolves.toMatchObject({ addresses: [PUBLIC_ADDRESS] });
    const error = await refusal(guardedFetch(PUBLIC_ONLY, { lookup })(url));
    expect(error.message).toBe('rebind.test resolves to 127.0.0.1, a loopback address; only public addresses can be reached');
    expect(lookup.asked).toEqual(['rebind.test', 'rebind.test']);
    expect(local.requests).toEqual([]);
  });

  it('never reaches a server a name also resolves to', async () => {
    const lookup = scriptedLookup({ 'both.test': [[PUBLIC_ADDRESS, '127.0.0.1']] });
    await refusal(guardedFetch(PUBLIC_ONLY, { lookup })(at('/hello', 'both.test')));
    expect(local.requests).toEqual([]);
  });

  it.each([
    ['http://10.0.0.1/', '10.0.0.1 is a private address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is the cloud metadata address'],
    ['http://[::ffff:a9fe:a9fe]/', '::ffff:a9fe:a9fe is the cloud metadata address'],
    ['http://0x0a.1/', '10.0.0.1 is a private address'],
    ['http://internal.test/admin', 'internal.test resolves to 10.0.0.1, a private address'],
  ])('refuses a redirect from an allowed server to %s', async (target, message) => {
    const lookup = scriptedLookup({ 'internal.test': [['10.0.0.1']] });
    const error = await refusal(guardedFetch(LOOPBACK, { lookup })(at(`/redirect?to=${encodeURIComponent(target)}`)));
    expect(error.message).toBe(`${message}; only public addresses can be reached`);
    expect(local.requests).toHaveLength(1);
  });

  it('refuses a redirect to a loopback address the configuration does not name', async () => {
    // Only this one address is open; the rest of 127/8 and ::1 are not.
    const lookup = scriptedLookup({ 'allowed.test': [['127.0.0.1']], 'other.test': [['127.0.0.2']] });
    const fetch = guardedFetch(parseNetworkPolicy('127.0.0.1/32'), { lookup });
    for (const target of [`http://127.0.0.2:${local.port}/hello`, `http://[::1]:${local.port}/hello`, `http://other.test:${local.port}/hello`]) {
      await refusal(fetch(at(`/redirect?to=${encodeURIComponent(target)}`, 'allowed.test')));
    }
    expect(local.requests.map(({ path }) => path.split('?')[0])).toEqual(['/redirect', '/redirect', '/redirect']);
  });

  it('follows a redirect to an allowed address', async () => {
    const response = await guardedFetch(LOOPBACK)(at(`/redirect?to=${encodeURIComponent('/hello')}`));
    expect(response.status).toBe(201);
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(at('/hello'));
  });

  it('leaves redirects to the caller that asks for them', async () => {
    const response = await guardedFetch(LOOPBACK)(at('/redirect?to=http%3A%2F%2F10.0.0.1%2F'), { redirect: 'manual' });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://10.0.0.1/');
  });

  it('fetches only http and https', async () => {
    const error = await refusal(guardedFetch(LOOPBACK)('file:///etc/passwd'));
    expect(error.problem).toBe('scheme');
  });

  describe('aborts', () => {
    it('leave no listener on a signal shared by many requests', async () => {
      const shared = new AbortController();
      const fetch = guardedFetch(LOOPBACK);
      for (let i = 0; i < 5; i++) {
        const response = await fetch(at('/hello'), { signal: shared.signal });
        await response.text();
      }
      await Promise.all([1, 2, 3].map(async () => (await fetch(at('/empty'), { signal: shared.signal })).body));
      await refusal(guardedFetch(PUBLIC_ONLY)(at('/hello'), { signal: shared.signal }));
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    });

    it('end a streaming body, and its listener with it', async () => {
      const shared = new AbortController();
      const fetch = guardedFetch(LOOPBACK);
      const response = await fetch(at('/stream'), { signal: shared.signal });
      const reader = response.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
      // The stream is still open: its request still follows the shared signal.
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
      const closed = local.streamClosed;
      const reason = new Error('transport closed');
      shared.abort(reason);
      await expect(reader.read()).rejects.toBe(reason);
      await closed;
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    });

    it('end a request still waiting for its response', async () => {
      const shared = new AbortController();
      const pending = guardedFetch(LOOPBACK)(at('/hang'), { signal: shared.signal });
      while (local.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
      shared.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    });

    it('end only the request whose signal aborts', async () => {
      const fetch = guardedFetch(LOOPBACK);
      const first = new AbortController();
      const second = new AbortController();
      const [one, two] = await Promise.all([fetch(at('/stream'), { signal: first.signal }), fetch(at('/stream'), { signal: second.signal })]);
      const readOne = one.body!.getReader();
      const readTwo = two.body!.getReader();
      await Promise.all([readOne.read(), readTwo.read()]);
      first.abort();
      await expect(readOne.read()).rejects.toMatchObject({ name: 'AbortError' });
      expect(getEventListeners(second.signal, 'abort')).toHaveLength(1);
      await readTwo.cancel();
      expect(getEventListeners(first.signal, 'abort')).toHaveLength(0);
      expect(getEventListeners(second.signal, 'abort')).toHaveLength(0);
    });

    it('release the listener when the body is cancelled', async () => {
      const shared = new AbortController();
      const response = await guardedFetch(LOOPBACK)(at('/stream'), { signal: shared.signal });
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
      await response.body!.cancel();
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    });

    it('send nothing for a signal that has already aborted', async () => {
      const shared = new AbortController();
      shared.abort();
      await expect(guardedFetch(LOOPBACK)(at('/hello'), { signal: shared.signal })).rejects.toMatchObject({ name: 'AbortError' });
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
      expect(local.requests).toEqual([]);
    });
  });
});

// What a subgraph receives from the router, seen by a server that records it, and how a
// request's Redis work is issued.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDENTITY_HEADER, verifyIdentity, type Infrastructure, type KeyValueStore } from '@builderai/kit';
import type { RunningRouter } from '../src/index.js';
import {
  connectTestInfrastructure,
  graphql,
  newKeys,
  startFixtureAuth,
  startFixtureSubgraphs,
  startTestRouter,
  uniqueIp,
  uniqueUserId,
  type FixtureAuth,
  type FixtureSubgraphs,
} from './helpers.js';

interface Recorder {
  url: string;
  seen: IncomingHttpHeaders[];
  connections(): number;
  close(): Promise<void>;
}

/** Stands in for the accounts subgraph: records each request and answers `whoami { userId }`. */
async function startRecorder(): Promise<Recorder> {
  const seen: IncomingHttpHeaders[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { whoami: { userId: null } } }));
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Records which store calls were queued in the same macrotask: node-redis writes those together. */
function batchRecordingStore(store: KeyValueStore) {
  const calls: Array<{ call: string; batch: number }> = [];
  let batch = 0;
  let closing = false;
  const note = (call: string) => {
    calls.push({ call, batch });
    if (!closing) {
      closing = true;
      setImmediate(() => {
        batch += 1;
        closing = false;
      });
    }
  };
  const recording: KeyValueStore = {
    ...store,
    hit: (key, windowMs, units) => (note('hit'), store.hit(key, windowMs, units)),
    flagged: (keys) => (note('flagged'), store.flagged(keys)),
  };
  return { store: recording, calls };
}

const keys = newKeys();
let subgraphs: FixtureSubgraphs;
let recorder: Recorder;
let auth: FixtureAuth;
let infra: Infrastructure;
let router: RunningRouter;
let storeCalls: ReturnType<typeof batchRecordingStore>['calls'];

beforeAll(async () => {
  subgraphs = await startFixtureSubgraphs(keys);
  recorder = await startRecorder();
  auth = await startFixtureAuth();
  infra = await connectTestInfrastructure();
  const recording = batchRecordingStore(infra.store);
  storeCalls = recording.calls;
  router = await startTestRouter({
    env: { RATE_LIMIT_AUTHENTICATED: '1200' },
    subgraphUrls: { ...subgraphs.urls, accounts: recorder.url },
    infra: { ...infra, store: recording.store },
    keys,
    jwksUrl: auth.jwksUrl,
  });
});

afterAll(async () => {
  await router?.close();
  await recorder?.close();
  await subgraphs?.close();
  await auth?.close();
  await infra?.close();
});

const QUERY = '{ whoami { userId } }';

test('a subgraph gets the signed identity, request id, trace context and user agent, and not the token', async () => {
  const userId = uniqueUserId();
  const token = await auth.issue({ sub: userId, sid: 'session-1', roles: ['user'] });
  const ip = uniqueIp();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  await graphql(router.graphqlUrl, QUERY, {
    headers: {
      authorization: `Bearer ${token}`,
      'x-forwarded-for': ip,
      'x-request-id': 'req-forward-1',
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      'user-agent': 'builderai-web/2.3',
    },
  });
  const headers = recorder.seen.at(-1)!;
  expect(verifyIdentity(String(headers[IDENTITY_HEADER]), keys.identityPublicKey)).toEqual({ userId, sessionId: 'session-1', roles: ['user'], ip, proof: headers[IDENTITY_HEADER] });
  expect(headers['x-request-id']).toBe('req-forward-1');
  expect(headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  expect(headers.traceparent).not.toContain('00f067aa0ba902b7');
  expect(headers['user-agent']).toBe('builderai-web/2.3');
  expect(headers.authorization).toBeUndefined();
});

test('without a traceparent the router starts a trace; without a request id it makes one', async () => {
  const answer = await graphql(router.graphqlUrl, QUERY);
  const headers = recorder.seen.at(-1)!;
  expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  expect(headers['x-request-id']).toBe(answer.headers.get('x-request-id'));
});

test('subgraph connections are kept alive and reused', async () => {
  for (let i = 0; i < 5; i++) await graphql(router.graphqlUrl, QUERY);
  await Promise.all(Array.from({ length: 20 }, () => graphql(router.graphqlUrl, QUERY)));
  expect(recorder.connections()).toBeLessThanOrEqual(20);
  const before = recorder.connections();
  for (let i = 0; i < 5; i++) await graphql(router.graphqlUrl, QUERY);
  expect(recorder.connections()).toBe(before);
});

test("a session's first request asks Redis once, with its revocation check and rate-limit lease together; later ones not at all", async () => {
  const token = await auth.issue({ sub: uniqueUserId(), sid: 'session-2' });
  const headers = { authorization: `Bearer ${token}` };
  storeCalls.length = 0;
  expect((await graphql(router.graphqlUrl, QUERY, { headers })).status).toBe(200);
  expect(storeCalls.map(({ call }) => call).sort()).toEqual(['flagged', 'hit']);
  expect(new Set(storeCalls.map(({ batch }) => batch)).size).toBe(1);

  // 1200 a minute (the default) leases 12 units at a time: the next 11 are counted in memory.
  storeCalls.length = 0;
  for (let i = 0; i < 11; i++) expect((await graphql(router.graphqlUrl, QUERY, { headers })).status).toBe(200);
  expect(storeCalls).toEqual([]);
  expect((await graphql(router.graphqlUrl, QUERY, { headers })).status).toBe(200);
  expect(storeCalls.map(({ call }) => call)).toEqual(['hit']);
});

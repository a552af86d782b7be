// Identical queries in flight together run once per caller: seen from a stand-in accounts
// subgraph that holds its answers until the test releases them, so requests surely overlap.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { IDENTITY_HEADER, revokeSessionsNow, verifyIdentity, type Infrastructure } from '@builderai/kit';
import type { RunningRouter } from '../src/index.js';
import {
  connectTestInfrastructure,
  newKeys,
  startFixtureAuth,
  startFixtureSubgraphs,
  startTestRouter,
  uniqueIp,
  uniqueUserId,
  type FixtureAuth,
  type FixtureSubgraphs,
} from './helpers.js';

interface HeldRequest {
  headers: IncomingHttpHeaders;
  body: string;
  answer(status: number, body: string): void;
  fail(): void;
}

interface Gate {
  url: string;
  /** Every GraphQL request the subgraph received. */
  received: HeldRequest[];
  /** Requests not answered yet. */
  held: HeldRequest[];
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Stands in for accounts: records each request and holds it until the test answers it. */
async function startGate(): Promise<Gate> {
  const received: HeldRequest[] = [];
  const held: HeldRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: HeldRequest = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answer: (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(body),
        fail: () => res.destroy(),
      };
      received.push(request);
      held.push(request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received,
    held,
    waitForRequests: (count) => until(async () => received.length >= count, `${count} subgraph requests`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` for up to 15 s, so a regression fails the test instead of hanging it. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

const keys = newKeys();
let subgraphs: FixtureSubgraphs;
let gate: Gate;
let auth: FixtureAuth;
let infra: Infrastructure;
let router: RunningRouter;

beforeAll(async () => {
  subgraphs = await startFixtureSubgraphs(keys);
  gate = await startGate();
  auth = await startFixtureAuth();
  infra = await connectTestInfrastructure();
  router = await startTestRouter({ subgraphUrls: { ...subgraphs.urls, accounts: gate.url }, infra, keys, jwksUrl: auth.jwksUrl });
});

afterAll(async () => {
  await router?.close();
  await gate?.close();
  await subgraphs?.close();
  await auth?.close();
  await infra?.close();
});

afterEach(() => {
  // Nothing left hanging for the next test.
  for (const request of gate.held.splice(0)) request.fail();
  gate.received.length = 0;
});

const WHOAMI = '{ whoami { userId } }';

interface RawAnswer {
  status: number;
  text: string;
}

/** The raw answer, so tests can compare bytes. */
async function post(query: string, headers: Record<string, string>): Promise<RawAnswer> {
  const response = await fetch(router.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, text: await response.text() };
}

/** Answers every held request as the real subgraph would, for the identity it was sent. */
function answerHeld() {
  for (const request of gate.held.splice(0)) {
    const { userId = null } = verifyIdentity(String(request.headers[IDENTITY_HEADER]), keys.identityPublicKey);
    const data = request.body.includes('touch') ? { touch: true } : { whoami: { userId } };
    request.answer(200, JSON.stringify({ data }));
  }
}

/**
 * Waits until `count` requests have passed their rate-limit check (the last step before
 * execution), plus a moment for the last one to reach the executor.
 */
async function passedChecks(rateLimitKey: string, count: number) {
  await until(async () => (await infra.store.peek(rateLimitKey)).count >= count, `${count} requests past their checks`);
  await delay(50);
}

async function signedIn(userId = uniqueUserId(), sessionId = randomUUID()) {
  return { userId, sessionId, token: await auth.issue({ sub: userId, sid: sessionId }) };
}

test('two identical queries of one user in flight together: one subgraph call, byte-identical answers', async () => {
  const { userId, token } = await signedIn();
  const headers = { authorization: `Bearer ${token}` };
  const first = post(WHOAMI, headers);
  await gate.waitForRequests(1);
  const second = post(WHOAMI, headers);
  await passedChecks(`ratelimit:user:${userId}`, 2);
  answerHeld();
  const [a, b] = await Promise.all([first, second]);
  expect(gate.received).toHaveLength(1);
  expect(a.status).toBe(200);
  expect(JSON.parse(a.text)).toEqual({ data: { whoami: { userId } } });
  expect(b.text).toBe(a.text);
});

test('anonymous callers from one address share too; a later identical query runs anew', async () => {
  const ip = uniqueIp();
  const first = post(WHOAMI, { 'x-forwarded-for': ip });
  await gate.waitForRequests(1);
  const second = post(WHOAMI, { 'x-forwarded-for': ip });
  await passedChecks(`ratelimit:ip:${ip}`, 2);
  answerHeld();
  const [a, b] = await Promise.all([first, second]);
  expect(gate.received).toHaveLength(1);
  expect(b.text).toBe(a.text);

  // Nothing is cached once the shared execution is over.
  const third = post(WHOAMI, { 'x-forwarded-for': ip });
  await gate.waitForRequests(2);
  answerHeld();
  expect((await third).text).toBe(a.text);
});

test('the same query for different users runs once per user, each with its own answer', async () => {
  const alice = await signedIn();
  const bob = await signedIn();
  const forAlice = post(WHOAMI, { authorization: `Bearer ${alice.token}` });
  const forBob = post(WHOAMI, { authorization: `Bearer ${bob.token}` });
  await gate.waitForRequests(2);
  const identities = gate.received.map((request) => verifyIdentity(String(request.headers[IDENTITY_HEADER]), keys.identityPublicKey).userId);
  expect(identities.sort()).toEqual([alice.userId, bob.userId].sort());
  answerHeld();
  expect(JSON.parse((await forAlice).text)).toEqual({ data: { whoami: { userId: alice.userId } } });
  expect(JSON.parse((await forBob).text)).toEqual({ data: { whoami: { userId: bob.userId } } });
});

test('the same user from another address does not share (subgraphs see the address)', async () => {
  const { token } = await signedIn();
  const first = post(WHOAMI, { authorization: `Bearer ${token}`, 'x-forwarded-for': uniqueIp() });
  const second = post(WHOAMI, { authorization: `Bearer ${token}`, 'x-forwarded-for': uniqueIp() });
  await gate.waitForRequests(2);
  answerHeld();
  await Promise.all([first, second]);
  expect(gate.received).toHaveLength(2);
});

test('mutations are never shared', async () => {
  const { userId, token } = await signedIn();
  const headers = { authorization: `Bearer ${token}` };
  const first = post('mutation { touch }', headers);
  await gate.waitForRequests(1);
  const second = post('mutation { touch }', headers);
  await passedChecks(`ratelimit:user:${userId}`, 2);
  await gate.waitForRequests(2);
  answerHeld();
  const answers = await Promise.all([first, second]);
  expect(gate.received).toHaveLength(2);
  for (const answer of answers) expect(JSON.parse(answer.text)).toEqual({ data: { touch: true } });
});

test('a failure of the shared execution reaches every waiting request', async () => {
  const { userId, token } = await signedIn();
  const headers = { authorization: `Bearer ${token}` };
  const first = post(WHOAMI, headers);
  await gate.waitForRequests(1);
  const second = post(WHOAMI, headers);
  await passedChecks(`ratelimit:user:${userId}`, 2);
  gate.held.splice(0).forEach((request) => request.fail());
  const [a, b] = await Promise.all([first, second]);
  expect(gate.received).toHaveLength(1);
  expect(JSON.parse(a.text)).toMatchObject({ data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  expect(b).toEqual(a);
});

test('each request passes its own checks: a revoked session cannot join an execution in flight', async () => {
  const { sessionId, token } = await signedIn();
  const headers = { authorization: `Bearer ${token}` };
  const first = post(WHOAMI, headers);
  await gate.waitForRequests(1);
  await revokeSessionsNow(infra, [sessionId], 60_000);
  const refused = await post(WHOAMI, headers);
  expect(refused.status).toBe(401);
  answerHeld();
  expect((await first).status).toBe(200);
});

test('QUERY_DEDUP_ENABLED=false: every query runs on its own', async () => {
  const unshared = await startTestRouter({
    env: { QUERY_DEDUP_ENABLED: 'false' },
    subgraphUrls: { ...subgraphs.urls, accounts: gate.url },
    infra,
    keys,
    jwksUrl: auth.jwksUrl,
  });
  try {
    const { userId, token } = await signedIn();
    const send = () =>
      fetch(unshared.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: WHOAMI }),
      });
    const answers = Promise.all([send(), send()]);
    await gate.waitForRequests(2);
    answerHeld();
    for (const answer of await answers) expect(await answer.json()).toEqual({ data: { whoami: { userId } } });
  } finally {
    await unshared.close();
  }
});

// Rate limits against real Redis. Every test uses its own IPs and users, so runs never share
// a window.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRouterClient, type Infrastructure } from '@builderai/kit';
import type { RunningRouter } from '../src/index.js';
import {
  connectTestInfrastructure,
  graphql,
  newKeys,
  servedTo,
  startFixtureAuth,
  startFixtureSubgraphs,
  startTestRouter,
  uniqueIp,
  uniqueUserId,
  type FixtureAuth,
  type FixtureSubgraphs,
} from './helpers.js';

const LIMITS = { RATE_LIMIT_ANONYMOUS: '5', RATE_LIMIT_AUTHENTICATED: '8', RATE_LIMIT_CREDENTIALS: '2', RATE_LIMIT_WINDOW_SECONDS: '60' };
const QUERY = '{ whoami { userId } }';
const LOGIN = 'mutation { login(email: "someone@example.com") }';

let subgraphs: FixtureSubgraphs;
let auth: FixtureAuth;
let infra: Infrastructure;
let router: RunningRouter;

const keys = newKeys();

beforeAll(async () => {
  subgraphs = await startFixtureSubgraphs(keys);
  auth = await startFixtureAuth();
  infra = await connectTestInfrastructure();
  router = await startTestRouter({ env: LIMITS, subgraphUrls: subgraphs.urls, infra, keys, jwksUrl: auth.jwksUrl });
});

afterAll(async () => {
  await router?.close();
  await subgraphs?.close();
  await auth?.close();
  await infra?.close();
});

const from = (ip: string, extra: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': ip, ...extra } });

function expectRateLimited(answer: Awaited<ReturnType<typeof graphql>>) {
  expect(answer.status).toBe(429);
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter });
  expect(answer.body.data).toBeUndefined();
}

test('anonymous callers are limited per IP: 429, Retry-After and RATE_LIMITED past the limit', async () => {
  const ip = uniqueIp();
  for (let i = 0; i < 5; i++) expect((await graphql(router.graphqlUrl, QUERY, from(ip))).status).toBe(200);
  expectRateLimited(await graphql(router.graphqlUrl, QUERY, from(ip)));
  // Another IP has its own window.
  expect((await graphql(router.graphqlUrl, QUERY, from(uniqueIp()))).status).toBe(200);
});

test('signed-in users are limited per user, whatever their IP, with a higher limit', async () => {
  const token = await auth.issue({ sub: uniqueUserId(), sid: randomUUID() });
  for (let i = 0; i < 8; i++) {
    expect((await graphql(router.graphqlUrl, QUERY, from(uniqueIp(), { authorization: `Bearer ${token}` }))).status).toBe(200);
  }
  expectRateLimited(await graphql(router.graphqlUrl, QUERY, from(uniqueIp(), { authorization: `Bearer ${token}` })));
  // The user's window does not touch anyone else's.
  const other = await auth.issue({ sub: uniqueUserId(), sid: randomUUID() });
  expect((await graphql(router.graphqlUrl, QUERY, from(uniqueIp(), { authorization: `Bearer ${other}` }))).status).toBe(200);
});

test('login is limited more strictly than other operations from the same IP', async () => {
  const ip = uniqueIp();
  for (let i = 0; i < 2; i++) {
    const answer = await graphql(router.graphqlUrl, LOGIN, from(ip));
    expect(answer.body).toEqual({ data: { login: 'token for someone@example.com' } });
  }
  expectRateLimited(await graphql(router.graphqlUrl, LOGIN, from(ip)));
  // The general window of that IP still has room.
  expect((await graphql(router.graphqlUrl, QUERY, from(ip))).status).toBe(200);
});

test('register shares the credentials window, also for signed-in callers and through fragments', async () => {
  const ip = uniqueIp();
  const token = await auth.issue({ sub: uniqueUserId(), sid: randomUUID() });
  expect((await graphql(router.graphqlUrl, 'mutation { register(email: "a@example.com") }', from(ip))).status).toBe(200);
  expect((await graphql(router.graphqlUrl, LOGIN, from(ip, { authorization: `Bearer ${token}` }))).status).toBe(200);
  const viaFragment = 'mutation { ...SignUp } fragment SignUp on Mutation { register(email: "b@example.com") }';
  expectRateLimited(await graphql(router.graphqlUrl, viaFragment, from(ip)));
});

test('other mutations do not count as credential attempts', async () => {
  const ip = uniqueIp();
  for (let i = 0; i < 4; i++) expect((await graphql(router.graphqlUrl, 'mutation { touch }', from(ip))).status).toBe(200);
});

test('RATE_LIMIT_ENABLED=false: nothing is limited and nothing is counted', async () => {
  const unlimited = await startTestRouter({
    env: { ...LIMITS, RATE_LIMIT_ENABLED: 'false' },
    subgraphUrls: subgraphs.urls,
    infra,
    keys,
    jwksUrl: auth.jwksUrl,
  });
  try {
    const ip = uniqueIp();
    for (let i = 0; i < 7; i++) expect((await graphql(unlimited.graphqlUrl, QUERY, from(ip))).body).toEqual({ data: { whoami: { userId: null } } });
    for (let i = 0; i < 3; i++) expect((await graphql(unlimited.graphqlUrl, LOGIN, from(ip))).body).toEqual({ data: { login: 'token for someone@example.com' } });
    expect((await infra.store.peek(`ratelimit:ip:${ip}`)).count).toBe(0);
  } finally {
    await unlimited.close();
  }
});

test('anonymous IPv6 callers share the window of their /64 network', async () => {
  const network = `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;
  const addresses = Array.from({ length: 6 }, () => `${network}:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::${randomBytes(1).toString('hex')}`);
  for (const address of addresses.slice(0, 5)) expect((await graphql(router.graphqlUrl, QUERY, from(address))).status).toBe(200);
  // A sixth address of the same /64, written another way, is over the limit of the network.
  expectRateLimited(await graphql(router.graphqlUrl, QUERY, from(addresses[5]!.toUpperCase())));
  // The next /64 has a window of its own.
  expect((await graphql(router.graphqlUrl, QUERY, from(`2001:db8:ffff:${randomBytes(2).toString('hex')}::1`))).status).toBe(200);
});

test('password resets share the credentials window', async () => {
  const ip = uniqueIp();
  const RESET = 'mutation { requestPasswordReset(email: "victim@example.com") }';
  for (let i = 0; i < 2; i++) expect((await graphql(router.graphqlUrl, RESET, from(ip))).status).toBe(200);
  expectRateLimited(await graphql(router.graphqlUrl, RESET, from(ip)));
});

test('provider sign-ins share the credentials window', async () => {
  const ip = uniqueIp();
  const COMPLETE = 'mutation { completeSignIn(provider: "google", code: "guess", state: "guess") }';
  for (let i = 0; i < 2; i++) expect((await graphql(router.graphqlUrl, COMPLETE, from(ip))).status).toBe(200);
  expectRateLimited(await graphql(router.graphqlUrl, COMPLETE, from(ip)));
});

test('one request holds one credential field: aliased attempts are refused before any runs', async () => {
  const ip = uniqueIp();
  const before = subgraphs.calls();
  const aliased = `mutation { ${Array.from({ length: 3 }, (_, i) => `r${i}: requestPasswordReset(email: "victim@example.com")`).join(' ')} }`;
  const answer = await graphql(router.graphqlUrl, aliased, from(ip));
  expect(answer.status).toBe(400);
  expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', credentialFields: 3 });
  const mixed = await graphql(router.graphqlUrl, 'mutation { a: login(email: "a@example.com") b: register(email: "b@example.com") }', from(ip));
  expect(mixed.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', credentialFields: 2 });
  expect(subgraphs.calls()).toBe(before);
});

test('root fields per operation are bounded, aliases and __typename included', async () => {
  const many = `{ ${Array.from({ length: 21 }, (_, i) => `t${i}: __typename`).join(' ')} }`;
  const answer = await graphql(router.graphqlUrl, many, from(uniqueIp()));
  expect(answer.status).toBe(400);
  expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', rootFields: 21, maxRootFields: 20 });
  expect((await graphql(router.graphqlUrl, `{ ${Array.from({ length: 20 }, (_, i) => `t${i}: __typename`).join(' ')} }`, from(uniqueIp()))).status).toBe(200);
});

test('a per-IP window counts every request before its body is read: a flood is refused without a parse', async () => {
  const flooded = await startTestRouter({ env: { ...LIMITS, RATE_LIMIT_PER_IP: '3' }, subgraphUrls: subgraphs.urls, infra, keys, jwksUrl: auth.jwksUrl });
  try {
    const ip = uniqueIp();
    // Malformed documents: each would be a 400 from the parser if it got that far.
    for (let i = 0; i < 3; i++) expect((await graphql(flooded.graphqlUrl, '{ whoami { ', from(ip))).status).toBe(400);
    const refused = await graphql(flooded.graphqlUrl, '{ whoami { ', from(ip));
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another client is not affected.
    expect((await graphql(flooded.graphqlUrl, QUERY, from(uniqueIp()))).status).toBe(200);
    // Services share an address: on the internal listener only their users' limits count.
    const service = createRouterClient({ routerUrl: flooded.internalGraphqlUrl, service: 'chat', secret: keys.serviceTokenSecret });
    for (let i = 0; i < 5; i++) expect(await service.request(servedTo(keys, { userId: uniqueUserId(), roles: [] }), QUERY)).toEqual({ whoami: { userId: expect.any(String) } });
  } finally {
    await flooded.close();
  }
});

// The router end to end: real HTTP to real kit subgraphs, real Redis, an auth-like JWKS.
import { randomUUID, type KeyObject } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import {
  IDENTITY_HEADER,
  RouterRequestError,
  createRouterClient,
  revokeSessionsNow,
  signIdentity,
  signServiceToken,
  type Identity,
  type Infrastructure,
  type RouterKeys,
} from '@builderai/kit';
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

const WHOAMI = '{ whoami { userId sessionId roles ip actingService requestId userAgent } }';
const ALLOWED_ORIGIN = 'https://app.builderai.test';

const served = (identity: Identity, service?: string, signingKey?: KeyObject) => servedTo(keys, identity, service, signingKey);

let keys: RouterKeys;
let subgraphs: FixtureSubgraphs;
let auth: FixtureAuth;
let infra: Infrastructure;
let router: RunningRouter;

beforeAll(async () => {
  keys = newKeys();
  subgraphs = await startFixtureSubgraphs(keys);
  auth = await startFixtureAuth();
  infra = await connectTestInfrastructure();
  router = await startTestRouter({
    env: { MAX_BODY_BYTES: '20000', CORS_ORIGINS: ALLOWED_ORIGIN, MAX_DEPTH: '6', MAX_COST: '500' },
    subgraphUrls: subgraphs.urls,
    infra,
    keys,
    jwksUrl: auth.jwksUrl,
  });
});

afterAll(async () => {
  await router?.close();
  await subgraphs?.close();
  await auth?.close();
  await infra?.close();
});

const asUser = async (userId = uniqueUserId(), sessionId = randomUUID()) => ({
  userId,
  sessionId,
  token: await auth.issue({ sub: userId, sid: sessionId, roles: ['user', 'builder'] }),
});

describe('identity', () => {
  test('a valid access token reaches the subgraph as a verified identity', async () => {
    const { userId, sessionId, token } = await asUser();
    const ip = uniqueIp();
    const answer = await graphql(router.graphqlUrl, WHOAMI, {
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip, 'x-request-id': 'req-identity-1', 'user-agent': 'builderai-test/1.0' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.whoami).toEqual({
      userId,
      sessionId,
      roles: ['user', 'builder'],
      ip,
      actingService: null,
      requestId: 'req-identity-1',
      userAgent: 'builderai-test/1.0',
    });
    expect(answer.headers.get('x-request-id')).toBe('req-identity-1');
  });

  test('no token: the subgraph sees an anonymous caller with its IP', async () => {
    const ip = uniqueIp();
    const answer = await graphql(router.graphqlUrl, WHOAMI, { headers: { 'x-forwarded-for': ip } });
    expect(answer.body.data.whoami).toMatchObject({ userId: null, sessionId: null, roles: [], ip });
  });

  test('a tampered token is refused with 401 UNAUTHENTICATED', async () => {
    const { token } = await asUser();
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url')}.${signature}`;
    const answer = await graphql(router.graphqlUrl, WHOAMI, { headers: { authorization: `Bearer ${forged}` } });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(answer.body.data).toBeUndefined();
  });

  test('an expired token is refused with 401 UNAUTHENTICATED', async () => {
    const token = await auth.issue({ sub: uniqueUserId(), sid: randomUUID() }, { expiresIn: -60 });
    const answer = await graphql(router.graphqlUrl, WHOAMI, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]).toMatchObject({ message: 'Access token expired', extensions: { code: 'UNAUTHENTICATED' } });
  });

  test('a token signed by a key auth does not publish is refused', async () => {
    const token = await auth.issue({ sub: uniqueUserId(), sid: randomUUID() }, { key: auth.strangerKey });
    const answer = await graphql(router.graphqlUrl, WHOAMI, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('an unknown authorization scheme or garbage token is refused', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', 'Bearer ']) {
      const answer = await graphql(router.graphqlUrl, WHOAMI, { headers: { authorization } });
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  test('a revoked session is refused at once, even with its token already verified', async () => {
    const { sessionId, token } = await asUser();
    const headers = { authorization: `Bearer ${token}` };
    expect((await graphql(router.graphqlUrl, WHOAMI, { headers })).status).toBe(200);
    await revokeSessionsNow(infra, [sessionId], 60_000);
    const answer = await graphql(router.graphqlUrl, WHOAMI, { headers });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]).toMatchObject({ message: 'Session has been revoked', extensions: { code: 'UNAUTHENTICATED' } });
  });

  test('the JWKS is fetched once, not per request', async () => {
    const before = auth.jwksRequests();
    for (let i = 0; i < 3; i++) {
      const { token } = await asUser();
      expect((await graphql(router.graphqlUrl, WHOAMI, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    }
    expect(auth.jwksRequests()).toBe(before);
  });

  test('a service acting for a user is seen by subgraphs as that user, with actingService', async () => {
    const userId = uniqueUserId();
    const sessionId = randomUUID();
    const client = createRouterClient({ routerUrl: router.internalGraphqlUrl, service: 'chat', secret: keys.serviceTokenSecret });
    const data = await client.request<{ whoami: Record<string, unknown> }>(served({ userId, sessionId, roles: ['user'], ip: '203.0.113.7' }), WHOAMI, undefined, {
      requestId: 'req-chat-1',
    });
    expect(data.whoami).toMatchObject({ userId, sessionId, roles: ['user'], ip: '203.0.113.7', actingService: 'chat', requestId: 'req-chat-1' });
  });

  test('a service acts with the roles the router signed for the user, never with roles it claims', async () => {
    const user = served({ userId: uniqueUserId(), sessionId: randomUUID(), roles: ['user'] });
    const client = createRouterClient({ routerUrl: router.internalGraphqlUrl, service: 'chat', secret: keys.serviceTokenSecret });
    const data = await client.request<{ whoami: { roles: string[] } }>({ ...user, roles: ['admin'] }, WHOAMI);
    expect(data.whoami.roles).toEqual(['user']);
  });

  test('a service cannot mint a user: an identity the router did not sign, or signed for another service, is refused', async () => {
    const identity = { userId: uniqueUserId(), sessionId: randomUUID(), roles: ['admin'] };
    const minted = served(identity, 'chat', newKeys().identityPrivateKey);
    const othersService = served(identity, 'accounts');
    for (const onBehalfOf of [minted, othersService]) {
      const token = signServiceToken('chat', onBehalfOf, keys.serviceTokenSecret);
      const answer = await graphql(router.internalGraphqlUrl, WHOAMI, { headers: { authorization: `Service ${token}` } });
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(answer.body.data).toBeUndefined();
    }
  });

  test('a service acting for a revoked session is refused like the user would be', async () => {
    const sessionId = randomUUID();
    await revokeSessionsNow(infra, [sessionId], 60_000);
    const client = createRouterClient({ routerUrl: router.internalGraphqlUrl, service: 'chat', secret: keys.serviceTokenSecret });
    const failure = await client.request(served({ userId: uniqueUserId(), sessionId, roles: [] }), WHOAMI).catch((error) => error);
    expect(failure).toBeInstanceOf(RouterRequestError);
    expect(failure).toMatchObject({ status: 401, extensions: { code: 'UNAUTHENTICATED' } });
  });

  test('the public listener refuses service tokens, even valid ones: services call the internal listener', async () => {
    const token = signServiceToken('chat', served({ userId: uniqueUserId(), roles: ['admin'] }), keys.serviceTokenSecret);
    const answer = await graphql(router.graphqlUrl, WHOAMI, { headers: { authorization: `Service ${token}` } });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/internal listener only/), extensions: { code: 'UNAUTHENTICATED' } });
    expect(answer.body.data).toBeUndefined();
    // The internal listener takes no other routes: no metrics, no health, no Explorer there.
    expect((await fetch(new URL('/metrics', router.internalGraphqlUrl))).status).toBe(404);
  });

  test('a service token signed with another secret is refused', async () => {
    const token = signServiceToken('chat', served({ userId: uniqueUserId(), roles: ['admin'] }), newKeys().serviceTokenSecret);
    const answer = await graphql(router.internalGraphqlUrl, WHOAMI, { headers: { authorization: `Service ${token}` } });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('a subgraph refuses a direct request with a forged or missing identity', async () => {
    const forged = signIdentity({ userId: 'admin', roles: ['admin'] }, newKeys().identityPrivateKey);
    for (const headers of [{ [IDENTITY_HEADER]: forged }, {} as Record<string, string>]) {
      const answer = await graphql(subgraphs.accounts.graphqlUrl, WHOAMI, { headers });
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  test('a query across both subgraphs carries the identity to each', async () => {
    const { userId, token } = await asUser();
    const answer = await graphql(router.graphqlUrl, '{ whoami { userId } items(first: 2) { id name } }', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.body).toEqual({ data: { whoami: { userId }, items: [{ id: '1', name: 'item 1' }, { id: '2', name: 'item 2' }] } });
  });
});

describe('operation limits', () => {
  test('an operation deeper than MAX_DEPTH is rejected before any subgraph is called', async () => {
    const before = subgraphs.calls();
    const answer = await graphql(router.graphqlUrl, '{ items(first: 1) { related(first: 1) { related(first: 1) { related(first: 1) { related(first: 1) { related(first: 1) { id } } } } } } }');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', depth: 7, maxDepth: 6 });
    expect(subgraphs.calls()).toBe(before);
  });

  test('an operation costing more than MAX_COST is rejected before any subgraph is called', async () => {
    const before = subgraphs.calls();
    const answer = await graphql(router.graphqlUrl, 'query Big { items(first: 50) { id related(first: 50) { id } } }');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.message).toMatch(/Operation "Big" costs an estimated \d+; the limit is 500/);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(subgraphs.calls()).toBe(before);
  });

  test('fragments count towards depth', async () => {
    const answer = await graphql(
      router.graphqlUrl,
      'query { items(first: 1) { ...Deep } } fragment Deep on Item { related(first: 1) { related(first: 1) { related(first: 1) { related(first: 1) { related(first: 1) { id } } } } } }',
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.depth).toBe(7);
  });

  test('introspection (the Explorer\'s query) is not limited', async () => {
    const answer = await graphql(router.graphqlUrl, getIntrospectionQuery());
    expect(answer.status).toBe(200);
    expect(answer.body.data.__schema.queryType.name).toBe('Query');
  });
});

describe('HTTP', () => {
  test('malformed GraphQL answers 400 with an error list', async () => {
    const answer = await graphql(router.graphqlUrl, '{ whoami { userId ');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  test('a malformed JSON body answers 400 with an error list', async () => {
    const response = await fetch(router.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  test('an unknown field answers 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const answer = await graphql(router.graphqlUrl, '{ nope }');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('a body over MAX_BODY_BYTES answers 413', async () => {
    const answer = await graphql(router.graphqlUrl, `{ whoami { userId } } # ${'x'.repeat(25_000)}`);
    expect(answer.status).toBe(413);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('a browser opening /graphql gets the Explorer', async () => {
    const response = await fetch(router.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/embeddable-sandbox|Apollo/i);
  });

  test('CSRF: a GET query without a preflight-forcing header is refused', async () => {
    const url = `${router.graphqlUrl}?query=${encodeURIComponent('{ whoami { userId } }')}`;
    const refused = await fetch(url);
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors[0].message).toMatch(/Cross-Site Request Forgery/);
    const allowed = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
    expect((await allowed.json()).data.whoami).toEqual({ userId: null });
  });

  test('CSRF: a text/plain POST (a "simple" cross-site request) is refused', async () => {
    const response = await fetch(router.graphqlUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: 'mutation { touch }' }) });
    expect(response.status).toBe(400);
  });

  test('CORS: a preflight from an allowed origin is answered with the allow headers', async () => {
    const response = await fetch(router.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });

  test('CORS: a preflight from another origin is refused', async () => {
    const response = await fetch(router.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('CORS: answers to an allowed origin carry its allow-origin header; others do not', async () => {
    const allowed = await graphql(router.graphqlUrl, WHOAMI, { headers: { origin: ALLOWED_ORIGIN } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
    const other = await graphql(router.graphqlUrl, WHOAMI, { headers: { origin: 'https://evil.test' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('/health, /health/live and /health/ready report Redis and every subgraph', async () => {
    const health = await fetch(`${router.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      service: 'router',
      live: true,
      status: 'ready',
      checks: { redis: { status: 'up' }, 'subgraph:accounts': { status: 'up' }, 'subgraph:catalog': { status: 'up' } },
    });
    expect((await fetch(`${router.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${router.url}/health/ready`)).status).toBe(200);
  });

  test('/metrics exposes operation and subgraph metrics', async () => {
    await graphql(router.graphqlUrl, WHOAMI);
    const response = await fetch(`${router.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/graphql_operations_total\{[^}]*service="router"/);
    expect(text).toMatch(/subgraph_request_duration_seconds_count\{[^}]*subgraph="accounts"/);
  });
});

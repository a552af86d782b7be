// When what the router depends on is down: it says so with the right status, and leaks nothing.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Infrastructure } from '@builderai/kit';
import type { RunningRouter } from '../src/index.js';
import {
  connectTestInfrastructure,
  graphql,
  newKeys,
  startFixtureAuth,
  startFixtureSubgraphs,
  startTestRouter,
  uniqueUserId,
  type FixtureAuth,
  type FixtureSubgraphs,
} from './helpers.js';

/** A URL nothing listens on. */
async function deadUrl(path: string): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}

const keys = newKeys();
let subgraphs: FixtureSubgraphs;
let auth: FixtureAuth;
let infra: Infrastructure;
let router: RunningRouter;

beforeAll(async () => {
  subgraphs = await startFixtureSubgraphs(keys);
  auth = await startFixtureAuth();
  infra = await connectTestInfrastructure();
  router = await startTestRouter({
    subgraphUrls: { ...subgraphs.urls, catalog: await deadUrl('/graphql') },
    infra,
    keys,
    jwksUrl: await deadUrl('/.well-known/jwks.json'),
  });
});

afterAll(async () => {
  await router?.close();
  await subgraphs?.close();
  await auth?.close();
  await infra?.close();
});

test('tokens cannot be checked while the JWKS is unreachable: 503, not 401', async () => {
  const token = await auth.issue({ sub: uniqueUserId(), sid: randomUUID() });
  const answer = await graphql(router.graphqlUrl, '{ whoami { userId } }', { headers: { authorization: `Bearer ${token}` } });
  expect(answer.status).toBe(503);
  expect(answer.body.errors?.[0]).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
});

test('anonymous requests do not need the JWKS', async () => {
  const answer = await graphql(router.graphqlUrl, '{ whoami { userId } }');
  expect(answer.body).toEqual({ data: { whoami: { userId: null } } });
});

test('a subgraph that is down fails its fields only, without leaking network details', async () => {
  const answer = await graphql(router.graphqlUrl, '{ whoami { userId } item(id: "1") { id } }');
  expect(answer.status).toBe(200);
  expect(answer.body.data).toEqual({ whoami: { userId: null }, item: null });
  expect(JSON.stringify(answer.body.errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
});

test('/health/ready and /health report the subgraph that is down', async () => {
  const ready = await fetch(`${router.url}/health/ready`);
  expect(ready.status).toBe(503);
  const health = await fetch(`${router.url}/health`);
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({
    live: true,
    status: 'unavailable',
    checks: { 'subgraph:accounts': { status: 'up' }, 'subgraph:catalog': { status: 'down' } },
  });
  expect((await fetch(`${router.url}/health/live`)).status).toBe(200);
});

// The Explorer and introspection: on by default in development, off by default in production
// (a schema map is an attacker's first step), on again when configured.
import { getIntrospectionQuery } from 'graphql';
import type { Infrastructure } from '@builderai/kit';
import type { RunningRouter } from '../src/index.js';
import { connectTestInfrastructure, graphql, newSecret, startFixtureAuth, startFixtureSubgraphs, startTestRouter, type FixtureAuth, type FixtureSubgraphs } from './helpers.js';

let subgraphs: FixtureSubgraphs;
let auth: FixtureAuth;
let infra: Infrastructure;
const secret = newSecret();

beforeAll(async () => {
  subgraphs = await startFixtureSubgraphs(secret);
  auth = await startFixtureAuth();
  infra = await connectTestInfrastructure();
});
afterAll(async () => {
  await subgraphs?.close();
  await auth?.close();
  await infra?.close();
});

async function withRouter(env: Record<string, string>, use: (router: RunningRouter) => Promise<void>) {
  const router = await startTestRouter({ env, subgraphUrls: subgraphs.urls, infra, internalSecret: secret, jwksUrl: auth.jwksUrl });
  try {
    await use(router);
  } finally {
    await router.close();
  }
}

const explorerPage = (router: RunningRouter) => fetch(router.graphqlUrl, { headers: { accept: 'text/html' } });

test.each([
  ['development, by default', { NODE_ENV: 'development' }, true],
  ['production, by default', { NODE_ENV: 'production', INTERNAL_SECRET: 'x'.repeat(40) }, false],
  ['production, when configured', { NODE_ENV: 'production', INTERNAL_SECRET: 'x'.repeat(40), EXPLORER_ENABLED: 'true' }, true],
])('%s: introspection and the Explorer are %s', async (_, env, enabled) => {
  await withRouter(env, async (router) => {
    const introspection = await graphql(router.graphqlUrl, getIntrospectionQuery());
    if (enabled) expect(introspection.body.data.__schema.queryType.name).toBe('Query');
    else expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await explorerPage(router);
    expect(/embeddable-sandbox/i.test(await page.text())).toBe(enabled);
  });
});

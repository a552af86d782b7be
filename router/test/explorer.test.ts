// The Explorer and introspection: on by default in development, off by default in production
// (a schema map is an attacker's first step), on again when configured.
import { getIntrospectionQuery } from 'graphql';
import type { RunningRouter } from '../src/index.js';
import { graphql, useFixtures } from './helpers.js';

const fixtures = useFixtures();
const withRouter = fixtures.withRouter;

const explorerPage = (router: RunningRouter) => fetch(router.graphqlUrl, { headers: { accept: 'text/html' } });

test.each([
  ['development, by default', { NODE_ENV: 'development' }, true],
  ['production, by default', { NODE_ENV: 'production' }, false],
  ['production, when configured', { NODE_ENV: 'production', EXPLORER_ENABLED: 'true' }, true],
])('%s: introspection and the Explorer are %s', async (_, env, enabled) => {
  await withRouter(env, async (router) => {
    const introspection = await graphql(router.graphqlUrl, getIntrospectionQuery());
    if (enabled) expect(introspection.body.data.__schema.queryType.name).toBe('Query');
    else expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await explorerPage(router);
    expect(/embeddable-sandbox/i.test(await page.text())).toBe(enabled);
  });
});

test.each([
  ['development without OPS_TOKEN: open', { NODE_ENV: 'development' }, undefined, 200],
  ['production without OPS_TOKEN: hidden', { NODE_ENV: 'production' }, undefined, 404],
  ['production with OPS_TOKEN, no token sent', { NODE_ENV: 'production', OPS_TOKEN: 'ops-token-0123456789' }, undefined, 401],
  ['production with OPS_TOKEN, wrong token', { NODE_ENV: 'production', OPS_TOKEN: 'ops-token-0123456789' }, 'ops-token-9876543210', 401],
  ['production with OPS_TOKEN, right token', { NODE_ENV: 'production', OPS_TOKEN: 'ops-token-0123456789' }, 'ops-token-0123456789', 200],
])('%s: /metrics and health detail answer %s, liveness stays public', async (_, env, token, status) => {
  await withRouter(env, async (router) => {
    const headers = token ? { authorization: `Bearer ${token}` } : undefined;
    for (const path of ['/metrics', '/health', '/health/ready']) {
      const response = await fetch(`${router.url}${path}`, { headers });
      await response.body?.cancel();
      // Readiness may be 503 while a fixture subgraph is not up; what matters is who is let in.
      expect([path, status === 200 ? response.status === 200 || response.status === 503 : response.status]).toEqual([path, status === 200 ? true : status]);
    }
    expect((await fetch(`${router.url}/health/live`)).status).toBe(200);
  });
});

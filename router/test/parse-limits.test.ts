// What an anonymous request can make the router parse and validate is bounded: a document past
// MAX_TOKENS is refused while parsing, aliased __typename is costed and counted like any field,
// and introspection has a depth limit of its own.
import { getIntrospectionQuery } from 'graphql';
import type { Infrastructure } from '@builderai/kit';
import type { RunningRouter } from '../src/index.js';
import { connectTestInfrastructure, graphql, newSecret, startFixtureAuth, startFixtureSubgraphs, startTestRouter, type FixtureAuth, type FixtureSubgraphs } from './helpers.js';

let subgraphs: FixtureSubgraphs;
let auth: FixtureAuth;
let infra: Infrastructure;
let router: RunningRouter;
const secret = newSecret();

beforeAll(async () => {
  subgraphs = await startFixtureSubgraphs(secret);
  auth = await startFixtureAuth();
  infra = await connectTestInfrastructure();
  router = await startTestRouter({ env: { MAX_BODY_BYTES: '2000000' }, subgraphUrls: subgraphs.urls, infra, internalSecret: secret, jwksUrl: auth.jwksUrl });
});
afterAll(async () => {
  await router?.close();
  await subgraphs?.close();
  await auth?.close();
  await infra?.close();
});

test('a document of 75,000 aliased __typename (about 1 MB) is refused while parsing', async () => {
  const huge = `{ ${Array.from({ length: 75_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
  expect(huge.length).toBeGreaterThan(900_000);
  const answer = await graphql(router.graphqlUrl, huge);
  expect(answer.status).toBe(400);
  expect(answer.body.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  expect(answer.body.errors?.[0]?.message).toMatch(/Document contains more tha[nt] 10000 tokens/);
});

test('aliased __typename under the token limit still counts against the root-field limit', async () => {
  const answer = await graphql(router.graphqlUrl, `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
  expect(answer.status).toBe(400);
  expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', rootFields: 500 });
});

test('introspection obeys a depth limit: the standard query passes, a 40-deep ofType chain does not', async () => {
  expect((await graphql(router.graphqlUrl, getIntrospectionQuery())).body.data.__schema.queryType.name).toBe('Query');
  const deep = await graphql(router.graphqlUrl, `{ __type(name: "Query") { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } }`);
  expect(deep.status).toBe(400);
  expect(deep.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', introspectionDepth: 42, maxIntrospectionDepth: 16 });
});

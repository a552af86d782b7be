// What an anonymous request can make the router parse and validate is bounded: a document past
// MAX_TOKENS is refused while parsing, aliased __typename is costed and counted like any field,
// and introspection has a depth limit of its own.
import { getIntrospectionQuery } from 'graphql';
import { graphql, useFixtures } from './helpers.js';

const fixtures = useFixtures({ MAX_BODY_BYTES: '2000000' });

test('a document of 75,000 aliased __typename (about 1 MB) is refused while parsing', async () => {
  const huge = `{ ${Array.from({ length: 75_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
  expect(huge.length).toBeGreaterThan(900_000);
  const answer = await graphql(fixtures.router.graphqlUrl, huge);
  expect(answer.status).toBe(400);
  expect(answer.body.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  expect(answer.body.errors?.[0]?.message).toMatch(/Document contains more tha[nt] 10000 tokens/);
});

test('aliased __typename under the token limit still counts against the root-field limit', async () => {
  const answer = await graphql(fixtures.router.graphqlUrl, `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
  expect(answer.status).toBe(400);
  expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', rootFields: 500 });
});

test('introspection obeys a depth limit: the standard query passes, a 40-deep ofType chain does not', async () => {
  expect((await graphql(fixtures.router.graphqlUrl, getIntrospectionQuery())).body.data.__schema.queryType.name).toBe('Query');
  const deep = await graphql(fixtures.router.graphqlUrl, `{ __type(name: "Query") { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } }`);
  expect(deep.status).toBe(400);
  expect(deep.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', introspectionDepth: 42, maxIntrospectionDepth: 16 });
});

// Both executors over the same plans and subgraphs: @apollo/gateway's and the router's own
// (router/src/plan-executor). Every answer must be the same text, errors, paths and
// valueCompletion included, and the router's must have run it itself (not handed it back).
import { createHash } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { sharedResponseSerializer } from '../../src/shared-execution/response-serializer.js';
import { createPlanExecutor, type Executor } from '../../src/plan-executor/executor.js';
import { OperationPlans } from '../../src/plan-executor/operation-plans.js';
import { fixtureSupergraph } from './fixture.js';

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** The router hands it to the gateway's executor (introspection...). */
  handedBack?: boolean;
  /** An object of the answer gets a response name twice: shaped as objects, not written as text. */
  repeatsNames?: boolean;
}

const PRODUCT = 'fragment P on Product { upc name price ... on Furniture { material shippingEstimate inStock } ... on Book { isbn } }';

const CASES: Case[] = [
  { name: 'root fields of one subgraph', query: '{ topProducts { upc name price } }' },
  { name: 'interfaces, @requires and an interface object', query: `{ topProducts(first: 5) { ...P reviewCount reviews { body rating author { username name } } } } ${PRODUCT}` },
  { name: 'the same entities many times over, nested', query: '{ latestReviews { id product { name reviews { author { name reviews { product { upc name ... on Furniture { inStock } } } } } } } }' },
  { name: 'aliases, repeated fields and fragments', query: `query Aliased { a: topProducts(first: 2) { ...P n: name } b: topProducts { upc name upc price: price } c: product(upc: "f1") { ...P ... on Furniture { w: weight } } } ${PRODUCT}`, operationName: 'Aliased' },
  { name: 'a union', query: '{ search(text: "e") { __typename ... on Book { isbn name } ... on Furniture { material shippingEstimate } } }' },
  {
    name: '@skip and @include with variables and defaults',
    query: 'query Cond($withReviews: Boolean = true, $skipPrice: Boolean!, $first: Int = 2) { topProducts(first: $first) { name price @skip(if: $skipPrice) reviews @include(if: $withReviews) { body } } }',
    variables: { skipPrice: true },
  },
  { name: '@include false on a whole fetch', query: 'query ($r: Boolean!) { topProducts { name reviews @include(if: $r) { author { name } } } }', variables: { r: false } },
  { name: 'a field that throws in a subgraph', query: '{ me { name secret } }' },
  { name: 'a root field that throws, with its code', query: '{ failing topProducts(first: 1) { name } }' },
  { name: 'a non-null field null in a list: the list goes null', query: '{ users { id mandatory } }' },
  { name: 'a non-null root field null: data null', query: '{ brokenProduct { name } }' },
  { name: 'a non-null entity field null (valueCompletion)', query: '{ topProducts(first: 5) { upc reviewCount } }' },
  { name: 'a non-null field of an entity the subgraph could not find (valueCompletion)', query: '{ product(upc: "f2") { name ... on Furniture { sku } } }' },
  { name: 'entities a subgraph cannot find or fails on', query: '{ topProducts(first: 5) { upc ... on Furniture { inStock shippingEstimate } } }' },
  { name: 'the same entities on two paths at once, some failing', query: '{ a: topProducts(first: 5) { upc ... on Furniture { inStock sku } } b: topProducts(first: 5) { name ... on Furniture { inStock sku } } }' },
  { name: 'the same entities on two paths at once', query: '{ a: topProducts(first: 2) { upc ... on Book { reviewCount } } b: search(text: "u") { ... on Book { reviewCount } } }' },
  { name: 'the same failing entity many times over', query: '{ latestReviews { id product { upc ... on Furniture { inStock shippingEstimate } } } }' },
  { name: 'variables passed through', query: 'query One($upc: String!) { product(upc: $upc) { ...P } } ' + PRODUCT, variables: { upc: 'f3' } },
  { name: 'a variable missing', query: 'query One($upc: String!) { product(upc: $upc) { name } }', variables: {} },
  { name: 'a variable of the wrong type', query: 'query One($first: Int) { topProducts(first: $first) { name } }', variables: { first: 'many' } },
  { name: '__typename at the root and below', query: '{ __typename topProducts { __typename t: __typename ... on Book { __typename } } }', repeatsNames: true },
  { name: 'only __typename', query: '{ __typename }' },
  { name: 'a field named like an Object.prototype member', query: '{ latestReviews { author { constructor name } } users { constructor } }' },
  { name: '@provides', query: '{ latestReviews { author { username } } }' },
  { name: 'introspection is handed back', query: '{ __schema { queryType { name } } topProducts(first: 1) { name } }', handedBack: true },
  { name: 'leaves of every kind: ID as a number, enum, Float, Int, escaped strings, a custom scalar, a list of booleans', query: '{ items { id tier rating count label meta flags } }' },
  { name: 'an unknown enum value (valueCompletion)', query: '{ badTier { id tier } }' },
  { name: 'a string for an Int in a nullable list', query: '{ badCount { id count } }' },
  { name: 'a fraction for an Int', query: '{ fractionCount { count } }' },
  { name: 'a string for a Float', query: '{ badRating { rating } }' },
  { name: 'a number for a String', query: '{ numericLabel { label } items { label } }' },
  { name: 'a multi-operation document', query: 'query A { me { name } } query B { users { name } }', operationName: 'B' },
];

/** Representations each executor sent to subgraphs, per run. */
const sentRepresentations = { gateway: 0, own: 0 };
let counting: keyof typeof sentRepresentations | null = null;

let gatewayExecutor: Executor;
let ownExecutor: Executor;
let schema: GraphQLSchema;
let handedBack = 0;
let writtenAsText = 0;
const serializer = sharedResponseSerializer();

beforeAll(async () => {
  const { supergraphSdl, serviceMap } = fixtureSupergraph();
  for (const source of Object.values(serviceMap)) {
    const process = source.process.bind(source);
    source.process = (options) => {
      const representations = (options.request.variables as { representations?: unknown[] } | undefined)?.representations;
      if (counting && representations) sentRepresentations[counting] += representations.length;
      return process(options);
    };
  }
  const gateway = new ApolloGateway({ supergraphSdl, buildService: ({ name }) => serviceMap[name]! });
  const loaded = await gateway.load();
  schema = loaded.schema;
  gatewayExecutor = loaded.executor as Executor;
  const plans = new OperationPlans(supergraphSdl);
  // As the router's own data sources do, ours take variables as JSON text (read back here).
  const jsonServiceMap = Object.fromEntries(
    Object.entries(serviceMap).map(([name, source]) => [
      name,
      {
        process: (options: Parameters<typeof source.process>[0]) => source.process(options),
        processJson: (options: Parameters<typeof source.process>[0], variablesJson: string) =>
          source.process({ ...options, request: { ...options.request, variables: JSON.parse(variablesJson) as Record<string, unknown> } }),
      },
    ]),
  );
  ownExecutor = createPlanExecutor({
    dataFromText: (text) => {
      writtenAsText += 1;
      return serializer.dataFromText(text);
    },
    current: () => ({ schema, plans }),
    serviceMap: () => jsonServiceMap,
    fallback: (request) => {
      handedBack += 1;
      return gatewayExecutor(request);
    },
  });
});

/** What Apollo Server hands the gateway's executor for a request it validated. */
function requestContext({ query, variables, operationName }: Case) {
  const document = parse(query);
  const errors = validate(schema, document);
  if (errors.length) throw new Error(`the case's query is not valid: ${errors.map((error) => error.message).join('; ')}`);
  return {
    request: { query, variables, operationName },
    document,
    operationName: operationName ?? null,
    queryHash: createHash('sha256').update(query).digest('hex'),
    context: {},
    metrics: {},
    logger: console,
    cache: undefined,
    overallCachePolicy: { restrict: () => {} },
  } as never;
}

/** The answer as the router writes it (errors through their toJSON; answers written as text as they are). */
const asText = (result: unknown) => serializer.stringifyResult(result as never);

test.each(CASES)('$name: the same answer, byte for byte', async (testCase) => {
  const before = handedBack;
  const expected = asText(await gatewayExecutor(requestContext(testCase)));
  const actual = asText(await ownExecutor(requestContext(testCase)));
  expect(actual).toBe(expected);
  expect(handedBack - before).toBe(testCase.handedBack ? 1 : 0);
});

test('answers without errors are written as text, the others shaped as objects', async () => {
  let clean = 0;
  for (const testCase of CASES) {
    const before = writtenAsText;
    const answer = JSON.parse(asText(await ownExecutor(requestContext(testCase))));
    const isClean = !testCase.handedBack && !answer.errors && !answer.extensions && answer.data !== null;
    if (isClean) clean += 1;
    // Every clean answer but those with a response name twice in one object (then shaped, as with errors).
    expect({ name: testCase.name, writtenAsText: writtenAsText - before }).toEqual({ name: testCase.name, writtenAsText: isClean && !testCase.repeatsNames ? 1 : 0 });
  }
  expect(clean).toBeGreaterThan(5);
});

test('the cases cover errors, valueCompletion and null data', async () => {
  const answers = await Promise.all(CASES.map(async (testCase) => JSON.parse(asText(await gatewayExecutor(requestContext(testCase))))));
  expect(answers.some((answer) => answer.errors?.some((error: { path?: unknown }) => Array.isArray(error.path)))).toBe(true);
  expect(answers.some((answer) => answer.extensions?.valueCompletion)).toBe(true);
  expect(answers.some((answer) => answer.data === null)).toBe(true);
  expect(answers.some((answer) => answer.errors?.some((error: { extensions?: { serviceName?: string } }) => error.extensions?.serviceName === 'inventory'))).toBe(true);
});

test('the same entity asked for many times is sent once, with the same answer', async () => {
  const testCase = CASES.find((entry) => entry.name === 'the same entities many times over, nested')!;
  counting = 'gateway';
  const expected = asText(await gatewayExecutor(requestContext(testCase)));
  counting = 'own';
  const actual = asText(await ownExecutor(requestContext(testCase)));
  counting = null;
  expect(actual).toBe(expected);
  // 21 against 40 on this fixture.
  expect(sentRepresentations.own).toBeLessThan(sentRepresentations.gateway * 0.6);
});

test('entities asked for with the same selection on two paths at once are sent once; with errors, as the gateway asks', async () => {
  for (const [name, fewer] of [
    ['the same entities on two paths at once', true],
    ['the same entities on two paths at once, some failing', false],
  ] as const) {
    const testCase = CASES.find((entry) => entry.name === name)!;
    sentRepresentations.gateway = sentRepresentations.own = 0;
    counting = 'gateway';
    const expected = asText(await gatewayExecutor(requestContext(testCase)));
    counting = 'own';
    const actual = asText(await ownExecutor(requestContext(testCase)));
    counting = null;
    expect(actual).toBe(expected);
    if (fewer) expect(sentRepresentations.own).toBeLessThan(sentRepresentations.gateway);
    // With errors every fetch asks for all its entities, as the gateway does (after asking for its own share once).
    else expect(sentRepresentations.own).toBeGreaterThanOrEqual(sentRepresentations.gateway);
  }
});

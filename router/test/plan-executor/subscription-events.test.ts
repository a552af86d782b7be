// Each subscription event's answer (the owning subgraph's event, then other subgraphs' fields
// fetched by entity) comes from the router's plan executor: byte for byte what
// @apollo/gateway's executeQueryPlan makes of the same plan and event, errors included.
import { parse, validate, getOperationAST, type ExecutionResult } from 'graphql';
import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { FetchNode, QueryPlan } from '@apollo/query-planner';
import { createLogger } from '@builderai/kit';
import { fixtureSupergraph } from './fixture.js';
import { SubscriptionPlanner } from '../../src/subscriptions/plans.js';
import { eventResolver, type UpstreamEvent } from '../../src/subscriptions/event-results.js';

const { supergraphSdl, serviceMap } = fixtureSupergraph();
const planner = new SubscriptionPlanner(supergraphSdl);
const logger = createLogger('test', 'silent');

/** The same event through @apollo/gateway's executor, as the router answered events before. */
function gatewayResolver(query: string, variables: Record<string, unknown>) {
  const document = parse(query);
  const plan = planner.plan(query, document, undefined);
  const operationContext = buildOperationContext({ schema: planner.schema, operationDocument: document });
  const primary: FetchNode = { ...plan.primary, serviceName: '__subscription_event__' };
  const queryPlan: QueryPlan = { kind: 'QueryPlan', node: plan.rest ? { kind: 'Sequence', nodes: [primary, plan.rest] } : primary };
  return async (event: UpstreamEvent): Promise<ExecutionResult> => {
    const services: ServiceMap = { ...serviceMap, __subscription_event__: { process: async () => ({ data: event.data, errors: event.errors as never }) } };
    const requestContext = { request: { query, variables }, context: {}, logger, metrics: {}, document, operation: getOperationAST(document)!, operationName: null, schema: planner.schema };
    const { data, errors } = await executeQueryPlan(queryPlan, services, requestContext as never, operationContext, planner.supergraphSchema, planner.apiSchema);
    return errors?.length ? { data, errors } : { data };
  };
}

function ownResolver(query: string, variables: Record<string, unknown>) {
  const document = parse(query);
  expect(validate(planner.schema, document)).toEqual([]);
  const plan = planner.plan(query, document, undefined);
  const resolve = eventResolver(planner, plan, { query, document, operation: getOperationAST(document)!, operationName: undefined, variables }, serviceMap, logger);
  return (event: UpstreamEvent) => resolve(event, {} as never);
}

const QUERY = `subscription ($withAuthor: Boolean = true) {
  reviewAdded {
    id body
    author @include(if: $withAuthor) { name username reviews { id product { name ... on Furniture { inStock shippingEstimate } } } }
    product { upc name reviewCount ... on Furniture { inStock sku } }
  }
}`;

/** A review as the reviews subgraph sends it for the primary fetch (its own fields, keys of the others'). */
const review = (id: string, authorId: string, upc: string) => ({
  id,
  body: `review ${id}`,
  author: {
    __typename: 'User',
    id: authorId,
    username: authorId,
    reviews: [
      { id: 'r1', product: { __typename: 'Product', upc: 'b1' } },
      { id: 'r3', product: { __typename: 'Product', upc } },
    ],
  },
  product: { __typename: 'Product', upc, reviewCount: upc === 'f2' ? null : 2 },
});

const EVENTS: Array<[string, UpstreamEvent, Record<string, unknown>]> = [
  ['an event with fields from three other subgraphs', { data: { reviewAdded: review('r9', 'u1', 'f1') } }, {}],
  ['an event whose entities fail or are missing elsewhere', { data: { reviewAdded: review('r8', 'u2', 'f3') } }, {}],
  ['a non-null field missing in another subgraph (f2)', { data: { reviewAdded: review('r7', 'u3', 'f2') } }, {}],
  ['@include false by a variable', { data: { reviewAdded: review('r6', 'u1', 'b1') } }, { withAuthor: false }],
  ['an event with an error from the owning subgraph', { data: null, errors: [{ message: 'the review stream failed', extensions: { code: 'UPSTREAM' } }] }, {}],
];

test.each(EVENTS)('%s: the same answer, byte for byte', async (_name, event, variables) => {
  const expected = JSON.stringify(await gatewayResolver(QUERY, variables)(event));
  const actual = JSON.stringify(await ownResolver(QUERY, variables)(event));
  expect(actual).toBe(expected);
  expect(JSON.parse(actual)).toHaveProperty('data');
});

test('the events cover entity errors with paths, a null for a non-null field and an upstream error', async () => {
  const answers = await Promise.all(EVENTS.map(async ([, event, variables]) => JSON.parse(JSON.stringify(await ownResolver(QUERY, variables)(event)))));
  expect(answers[0].errors).toBeUndefined();
  expect(answers[0].data.reviewAdded.author.name).toBe('Ada');
  expect(answers[0].data.reviewAdded.author.reviews[1].product).toEqual({ name: 'Table', inStock: false, shippingEstimate: 0 });
  expect(answers[1].errors.some((error: { path?: unknown[] }) => error.path?.[0] === 'reviewAdded')).toBe(true);
  expect(answers[2].data.reviewAdded.product).toBeNull();
  expect(answers[3].data.reviewAdded).not.toHaveProperty('author');
  expect(answers[4].data).toBeNull();
});

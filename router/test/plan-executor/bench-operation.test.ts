// The benchmark's operation (bench/operation.graphql: users and top products eight levels deep,
// the same entities many times over, @requires) over the benchmark's four subgraphs, in
// process: the router's executor answers byte for byte as @apollo/gateway's, and as expected.
import { createHash } from 'node:crypto';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { accounts } from '../../../bench/subgraphs/accounts.js';
import { inventory } from '../../../bench/subgraphs/inventory.js';
import { products } from '../../../bench/subgraphs/products.js';
import { reviews } from '../../../bench/subgraphs/reviews.js';
import { sdlOf } from '../../../bench/subgraphs/sdl.js';
import { OPERATION } from '../../../bench/operation.js';
import { expectedAnswer } from '../../../bench/expected.js';
import { createPlanExecutor, type Executor } from '../../src/plan-executor/executor.js';
import { OperationPlans } from '../../src/plan-executor/operation-plans.js';
import { sharedResponseSerializer } from '../../src/shared-execution/response-serializer.js';

const schemas: Record<string, GraphQLSchema> = { accounts, inventory, products, reviews };
const sentRepresentations = { gateway: 0, own: 0 };
const requests = { gateway: 0, own: 0 };
let counting: keyof typeof sentRepresentations = 'gateway';
const serializer = sharedResponseSerializer();
let schema: GraphQLSchema;
let gatewayExecutor: Executor;
let ownExecutor: Executor;

beforeAll(async () => {
  const composed = composeServices(Object.keys(schemas).map((name) => ({ name, url: `http://${name}.local/graphql`, typeDefs: sdlOf(name) })));
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('; '));
  const serviceMap = Object.fromEntries(
    Object.entries(schemas).map(([name, subgraph]) => {
      const source = new LocalGraphQLDataSource(subgraph);
      const process = source.process.bind(source);
      source.process = (options) => {
        requests[counting] += 1;
        sentRepresentations[counting] += ((options.request.variables as { representations?: unknown[] } | undefined)?.representations ?? []).length;
        return process(options);
      };
      return [name, source];
    }),
  );
  const gateway = new ApolloGateway({ supergraphSdl: composed.supergraphSdl, buildService: ({ name }) => serviceMap[name]! });
  const loaded = await gateway.load();
  schema = loaded.schema;
  gatewayExecutor = loaded.executor as Executor;
  const plans = new OperationPlans(composed.supergraphSdl);
  ownExecutor = createPlanExecutor({ current: () => ({ schema, plans }), serviceMap: () => serviceMap, fallback: gatewayExecutor, dataFromText: serializer.dataFromText });
});

function requestContext() {
  const document = parse(OPERATION);
  expect(validate(schema, document)).toEqual([]);
  return {
    request: { query: OPERATION },
    document,
    operationName: null,
    queryHash: createHash('sha256').update(OPERATION).digest('hex'),
    context: {},
    metrics: {},
    logger: console,
    overallCachePolicy: { restrict: () => {} },
  } as never;
}

test('the bench operation: the same answer as @apollo/gateway, byte for byte, and the expected one', async () => {
  counting = 'gateway';
  const expected = serializer.stringifyResult((await gatewayExecutor(requestContext())) as never);
  counting = 'own';
  const actual = serializer.stringifyResult((await ownExecutor(requestContext())) as never);
  expect(actual).toBe(expected);
  expect(JSON.parse(actual)).toEqual(expectedAnswer());
  // The same entities many times over are asked for once each, and a selection of them asked
  // on several paths of the plan at once is sent once: 9 subgraph requests instead of 16.
  expect(sentRepresentations.own).toBeLessThan(sentRepresentations.gateway / 3);
  expect(requests).toEqual({ gateway: 16, own: 9 });
});

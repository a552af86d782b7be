import { Kind, buildSchema, getIntrospectionQuery, parse, validate, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { operationLimitsRule } from '../src/operation-limits/index.js';
import { ASSUMED_LIST_SIZE, measureOperation } from '../src/operation-limits/measure.js';

const schema = buildSchema(`
  type Query { node: Node, nodes(first: Int, last: Int): [Node!]!, tags: [String!]!, search(limit: Int): [Result!]!, page(first: Int): NodeConnection! }
  type NodeConnection { edges: [NodeEdge!]!, totalCount: Int! }
  type NodeEdge { node: Node! }
  type Node { id: ID!, name: String, children(first: Int): [Node!]!, parent: Node }
  type Other { id: ID! }
  union Result = Node | Other
`);

function measure(source: string) {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return measureOperation(schema, operation, fragments);
}

test('depth counts nested fields from the root', () => {
  expect(measure('{ node { id } }').depth).toBe(2);
  expect(measure('{ node { parent { parent { name } } } }').depth).toBe(4);
});

test('every field costs 1; list fields multiply by their page size', () => {
  expect(measure('{ node { id name } }').cost).toBe(3);
  expect(measure('{ nodes(first: 5) { id } }').cost).toBe(5 * 2);
  expect(measure('{ nodes(last: 3) { children(first: 4) { id } } }').cost).toBe(3 * (1 + 4 * 2));
  expect(measure('{ search(limit: 2) { ... on Node { id } ... on Other { id } } }').cost).toBe(2 * 3);
});

test("a connection's page size is the size of the lists inside it", () => {
  expect(measure('{ page(first: 2) { totalCount edges { node { id } } } }').cost).toBe(1 + 1 + 2 * (1 + 2));
  expect(measure('{ page(first: 50) { edges { ...E } } } fragment E on NodeEdge { node { id } }').cost).toBe(1 + 50 * 3);
  expect(measure('{ page { edges { node { id } } } }').cost).toBe(1 + ASSUMED_LIST_SIZE * 3);
  // Only the lists directly inside: a list further down has its own size.
  expect(measure('{ page(first: 2) { edges { node { children { id } } } } }').cost).toBe(1 + 2 * (1 + 1 + ASSUMED_LIST_SIZE * 2));
});

test('lists without a page size count as ASSUMED_LIST_SIZE; variables count as their default', () => {
  expect(measure('{ tags }').cost).toBe(ASSUMED_LIST_SIZE);
  expect(measure('query ($n: Int = 7) { nodes(first: $n) { id } }').cost).toBe(7 * 2);
  expect(measure('query ($n: Int) { nodes(first: $n) { id } }').cost).toBe(ASSUMED_LIST_SIZE * 2);
});

test('fragments are expanded; __typename costs like any field; introspection is measured by its depth alone', () => {
  expect(measure('{ node { ...F } } fragment F on Node { parent { parent { id } } }')).toEqual({ depth: 4, cost: 4, introspectionDepth: 0 });
  expect(measure('{ __typename node { __typename id } __schema { types { fields { type { ofType { name } } } } } }')).toEqual({ depth: 2, cost: 4, introspectionDepth: 6 });
  // Aliases of __typename are work like any others.
  expect(measure(`{ ${Array.from({ length: 100 }, (_, i) => `t${i}: __typename`).join(' ')} }`).cost).toBe(100);
  // A chain of ofType is as deep as it is written, through fragments too.
  expect(measure(`{ __type(name: "Node") { ...T } } fragment T on __Type { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} }`).introspectionDepth).toBe(42);
});

test('the rule refuses introspection deeper than its own limit; the standard introspection query passes', () => {
  const rule = operationLimitsRule({ maxDepth: 3, maxCost: 20, maxRootFields: 20, maxIntrospectionDepth: 16, maxAliases: 30 });
  expect(validate(schema, parse(getIntrospectionQuery()), [rule])).toEqual([]);
  const [error] = validate(schema, parse(`{ __type(name: "Node") { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } }`), [rule]);
  expect(error?.extensions).toEqual({ introspectionDepth: 42, maxIntrospectionDepth: 16 });
});

test('a fragment spread many times is measured once (no exponential blow-up)', () => {
  const levels = 40;
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Node { a: parent { ...F${i + 1} } b: parent { ...F${i + 1} } }`).join('\n');
  const started = Date.now();
  const { depth, cost } = measure(`{ node { ...F0 } } ${fragments} fragment F${levels} on Node { id }`);
  expect(Date.now() - started).toBeLessThan(500);
  expect(depth).toBe(levels + 2);
  expect(cost).toBeGreaterThan(1e12);
});

test('the rule reports depth and cost over the limits as validation errors', () => {
  const rule = operationLimitsRule({ maxDepth: 3, maxCost: 20, maxRootFields: 20, maxIntrospectionDepth: 16, maxAliases: 30 });
  expect(validate(schema, parse('{ node { parent { id } } }'), [rule])).toEqual([]);
  const [depthError] = validate(schema, parse('query Deep { node { parent { parent { id } } } }'), [rule]);
  expect(depthError?.message).toBe('Operation "Deep" is nested 4 levels deep; the limit is 3.');
  expect(depthError?.extensions).toEqual({ depth: 4, maxDepth: 3 });
  const [costError] = validate(schema, parse('{ nodes(first: 30) { id } }'), [rule]);
  expect(costError?.message).toMatch(/The operation costs an estimated 60; the limit is 20/);
});

test('the rule caps aliased fields anywhere in the document, fragments included', () => {
  const rule = operationLimitsRule({ maxDepth: 10, maxCost: 1_000_000, maxRootFields: 20, maxIntrospectionDepth: 16, maxAliases: 3 });
  expect(validate(schema, parse('{ node { a: id b: name c: id } }'), [rule])).toEqual([]);
  const errors = validate(schema, parse('{ node { a: id ...F } } fragment F on Node { b: id c: name d: id e: id }'), [rule]);
  expect(errors.map((error) => error.extensions)).toEqual([{ maxAliases: 3 }]);
});

test('aliases in the operation itself count as well as those in fragments', () => {
  const rule = operationLimitsRule({ maxDepth: 10, maxCost: 1_000_000, maxRootFields: 20, maxIntrospectionDepth: 16, maxAliases: 3 });
  const errors = validate(schema, parse('{ node { a: id b: name c: id d: __typename } }'), [rule]);
  expect(errors.map((error) => error.extensions)).toEqual([{ maxAliases: 3 }]);
});

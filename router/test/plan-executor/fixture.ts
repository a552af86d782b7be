// A supergraph that exercises what a plan executor must get right: an entity interface with an
// @interfaceObject in another subgraph, a union, @requires and @provides, entities a subgraph
// cannot find (null) or fails on (an error), the same entities many times over, fields that
// throw and non-null fields that come back null, and leaves of every kind, some invalid. Subgraphs run in-process
// (LocalGraphQLDataSource): the executors under test see the same answers.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { LocalGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@interfaceObject"])';

const books = [
  { upc: 'b1', name: 'Dune', price: 12, isbn: '978-0441013593' },
  { upc: 'b2', name: 'Emma', price: 0, isbn: '978-0141439587' },
];
const furniture = [
  { upc: 'f1', name: 'Table', price: 150, material: 'oak', weight: 30 },
  { upc: 'f2', name: 'Chair', price: 45, material: 'beech', weight: 6 },
  { upc: 'f3', name: 'Shelf', price: 80, material: 'pine', weight: 12 },
];
const products = [...books.map((book) => ({ ...book, __typename: 'Book' })), ...furniture.map((item) => ({ ...item, __typename: 'Furniture' }))];
const users = [
  { id: 'u1', name: 'Ada', username: 'ada', mandatory: 'yes' },
  { id: 'u2', name: 'Grace', username: 'grace', mandatory: null },
  { id: 'u3', name: null, username: 'anon', mandatory: 'yes' },
];
const reviews = [
  { id: 'r1', body: 'Great', authorId: 'u1', upc: 'b1', rating: 5 },
  { id: 'r2', body: 'Wobbly', authorId: 'u2', upc: 'f1', rating: 2 },
  { id: 'r3', body: 'Fine', authorId: 'u1', upc: 'f1', rating: 3 },
  { id: 'r4', body: 'Again', authorId: 'u3', upc: 'b1', rating: 4 },
  { id: 'r5', body: 'Shelf!', authorId: 'u2', upc: 'f3', rating: 1 },
];

const productsSubgraph = {
  typeDefs: parse(`${LINK}
    interface Product @key(fields: "upc") { upc: String! name: String! price: Int }
    type Book implements Product @key(fields: "upc") { upc: String! name: String! price: Int isbn: String }
    type Furniture implements Product @key(fields: "upc") { upc: String! name: String! price: Int material: String weight: Int }
    union SearchResult = Book | Furniture
    type Query {
      topProducts(first: Int = 3): [Product!]!
      product(upc: String!): Product
      search(text: String!): [SearchResult!]!
      brokenProduct: Product!
      failing: String
    }
  `),
  resolvers: {
    Query: {
      topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first),
      product: (_: unknown, { upc }: { upc: string }) => products.find((product) => product.upc === upc) ?? null,
      search: (_: unknown, { text }: { text: string }) => products.filter((product) => product.name.toLowerCase().includes(text.toLowerCase())),
      brokenProduct: () => null,
      failing: () => {
        throw new GraphQLError('the products service failed', { extensions: { code: 'PRODUCTS_DOWN' } });
      },
    },
    Product: { __resolveType: (product: { __typename: string }) => product.__typename, __resolveReference: ({ upc }: { upc: string }) => products.find((product) => product.upc === upc) },
    Book: { __resolveReference: ({ upc }: { upc: string }) => products.find((product) => product.upc === upc) },
    Furniture: { __resolveReference: ({ upc }: { upc: string }) => products.find((product) => product.upc === upc) },
  },
};

const accountsSubgraph = {
  typeDefs: parse(`${LINK}
    type User @key(fields: "id") { id: ID! name: String username: String @shareable secret: String mandatory: String! constructor: String }
    type Query { me: User users: [User!]! }
  `),
  resolvers: {
    Query: { me: () => users[0], users: () => users },
    User: {
      // A field named like an Object.prototype member must land in the answer as data.
      constructor: (user: { id: string }) => `made by ${user.id}`,
      __resolveReference: ({ id }: { id: string }) => users.find((user) => user.id === id) ?? null,
      secret: (user: { id: string }) => {
        throw new Error(`no secret for ${user.id}`);
      },
    },
  },
};

const reviewsSubgraph = {
  typeDefs: parse(`${LINK}
    type Review @key(fields: "id") { id: ID! body: String! rating: Int author: User @provides(fields: "username") product: Product }
    type User @key(fields: "id") { id: ID! username: String @external reviews: [Review!]! }
    type Product @key(fields: "upc") @interfaceObject { upc: String! reviews: [Review!]! reviewCount: Int! }
    type Query { latestReviews: [Review!]! }
    type Subscription { reviewAdded: Review! }
  `),
  resolvers: {
    Query: { latestReviews: () => reviews.slice().reverse() },
    Review: {
      author: (review: { authorId: string }) => ({ id: review.authorId, username: users.find((user) => user.id === review.authorId)?.username }),
      product: (review: { upc: string }) => ({ upc: review.upc }),
    },
    User: { __resolveReference: ({ id }: { id: string }) => ({ id }), reviews: ({ id }: { id: string }) => reviews.filter((review) => review.authorId === id) },
    Product: {
      __resolveReference: ({ upc }: { upc: string }) => ({ upc }),
      reviews: ({ upc }: { upc: string }) => reviews.filter((review) => review.upc === upc),
      // A non-null field with no value for one product.
      reviewCount: ({ upc }: { upc: string }) => (upc === 'f2' ? null : reviews.filter((review) => review.upc === upc).length),
    },
  },
};

const inventorySubgraph = {
  typeDefs: parse(`${LINK}
    type Furniture @key(fields: "upc") { upc: String! price: Int @external weight: Int @external shippingEstimate: Int @requires(fields: "price weight") inStock: Boolean sku: String! }
  `),
  resolvers: {
    Furniture: {
      __resolveReference: (reference: { upc: string; price?: number; weight?: number }) => {
        // One it cannot find, one it fails on.
        if (reference.upc === 'f2') return null;
        if (reference.upc === 'f3') throw new GraphQLError(`inventory lost ${reference.upc}`);
        return reference;
      },
      shippingEstimate: ({ price, weight }: { price: number; weight: number }) => (price > 100 ? 0 : weight * 2),
      inStock: ({ upc }: { upc: string }) => upc !== 'f1',
      sku: ({ upc }: { upc: string }) => `SKU-${upc}`,
    },
  },
};

// A subgraph answering raw JSON, as a misbehaving service might: leaves of every kind, some of
// them invalid for their type (an unknown enum value, a string for an Int, a fraction for an Int,
// a number for a String). Each root field answers the same value however it is asked.
const catalogTypeDefs = parse(`${LINK}
  enum Tier { FREE PRO }
  scalar JSON
  type Item { id: ID! tier: Tier rating: Float count: Int label: String meta: JSON flags: [Boolean] }
  type Query { items: [Item!]! badTier: [Item!]! badCount: [Item] fractionCount: Item badRating: Item numericLabel: Item }
`);

const CATALOG_ANSWERS: Record<string, unknown> = {
  items: [
    { id: 1, tier: 'PRO', rating: 4.5, count: 3, label: 'quote " backslash \\ line\u2028sep é', meta: { nested: [1, 'x', null, true], n: 1e21 }, flags: [true, null, false] },
    { id: 'x2', tier: 'FREE', rating: 2, count: -7, label: null, meta: 'plain', flags: null },
  ],
  badTier: [{ id: '1', tier: 'GOLD' }],
  badCount: [{ id: '1', count: '3' }, null],
  fractionCount: { id: '1', count: 1.5 },
  badRating: { id: '1', rating: 'high' },
  numericLabel: { id: '1', label: 5 },
};

const catalogSource = {
  process: async ({ request }: { request: { query?: string } }) => ({
    data: Object.fromEntries(Object.entries(CATALOG_ANSWERS).filter(([field]) => new RegExp(`\\b${field}\\b`).test(request.query ?? ''))),
  }),
};

export interface Fixture {
  supergraphSdl: string;
  serviceMap: Record<string, LocalGraphQLDataSource>;
}

export function fixtureSupergraph(): Fixture {
  const subgraphs = { products: productsSubgraph, accounts: accountsSubgraph, reviews: reviewsSubgraph, inventory: inventorySubgraph };
  const schemas: Record<string, GraphQLSchema> = {};
  for (const [name, definition] of Object.entries(subgraphs)) schemas[name] = buildSubgraphSchema([definition as never]);
  const composed = composeServices([
    ...Object.entries(subgraphs).map(([name, { typeDefs }]) => ({ name, url: `http://${name}.local/graphql`, typeDefs })),
    { name: 'catalog', url: 'http://catalog.local/graphql', typeDefs: catalogTypeDefs },
  ]);
  if (composed.errors) throw new Error(`the fixture does not compose: ${composed.errors.map((error) => error.message).join('; ')}`);
  const serviceMap = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, new LocalGraphQLDataSource(schema)]));
  serviceMap.catalog = catalogSource as unknown as LocalGraphQLDataSource;
  return { supergraphSdl: composed.supergraphSdl, serviceMap };
}

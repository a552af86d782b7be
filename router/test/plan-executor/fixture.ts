// A supergraph that exercises what a plan executor must get right: an entity interface with an
// @interfaceObject in another subgraph, a union, @requires and @provides, entities a subgraph
// cannot find (null) or fails on (an error), the same entities many times over, fields that
// throw and non-null fields that come back null. Subgraphs run in-process
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

export interface Fixture {
  supergraphSdl: string;
  serviceMap: Record<string, LocalGraphQLDataSource>;
}

export function fixtureSupergraph(): Fixture {
  const subgraphs = { products: productsSubgraph, accounts: accountsSubgraph, reviews: reviewsSubgraph, inventory: inventorySubgraph };
  const schemas: Record<string, GraphQLSchema> = {};
  for (const [name, definition] of Object.entries(subgraphs)) schemas[name] = buildSubgraphSchema([definition as never]);
  const composed = composeServices(Object.entries(subgraphs).map(([name, { typeDefs }]) => ({ name, url: `http://${name}.local/graphql`, typeDefs })));
  if (composed.errors) throw new Error(`the fixture does not compose: ${composed.errors.map((error) => error.message).join('; ')}`);
  const serviceMap = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, new LocalGraphQLDataSource(schema)]));
  return { supergraphSdl: composed.supergraphSdl, serviceMap };
}

// products: owns Product (upc, name, price, weight) and topProducts.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { sdlOf } from './sdl.js';
import { productByUpc, topProducts } from './data.js';

export const products = buildSubgraphSchema([
  {
    typeDefs: sdlOf('products'),
    resolvers: {
      Query: {
        topProducts: (_: unknown, { first }: { first: number }) => topProducts(first),
      },
      Product: {
        __resolveReference: ({ upc }: { upc: string }) => productByUpc.get(upc) ?? null,
      },
    },
  },
]);

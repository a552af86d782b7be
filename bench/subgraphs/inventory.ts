// inventory: adds inStock and shippingEstimate to Product; the estimate reads price and weight
// from the representation the gateway sends (@requires), never from products' data.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { sdlOf } from './sdl.js';
import { inStock, shippingEstimate } from './data.js';

interface ProductRepresentation {
  upc: string;
  price?: number | null;
  weight?: number | null;
}

export const inventory = buildSubgraphSchema([
  {
    typeDefs: sdlOf('inventory'),
    resolvers: {
      Product: {
        __resolveReference: (product: ProductRepresentation) => (product.upc in inStock ? product : null),
        inStock: ({ upc }: ProductRepresentation) => inStock[upc] ?? null,
        shippingEstimate: ({ price, weight }: ProductRepresentation) => shippingEstimate(price, weight),
      },
    },
  },
]);

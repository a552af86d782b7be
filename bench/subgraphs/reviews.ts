// reviews: owns Review and adds User.reviews and Product.reviews. Review.author carries the
// username (@provides), so a query for it needs no trip to accounts.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { sdlOf } from './sdl.js';
import { reviewById, reviewsByAuthor, reviewsOfProduct, userById, type Review } from './data.js';

export const reviews = buildSubgraphSchema([
  {
    typeDefs: sdlOf('reviews'),
    resolvers: {
      Review: {
        __resolveReference: ({ id }: { id: string }) => reviewById.get(id) ?? null,
        author: (review: Review) => ({ id: review.authorId, username: userById.get(review.authorId)?.username ?? null }),
        product: (review: Review) => ({ upc: review.productUpc }),
      },
      User: {
        reviews: ({ id }: { id: string }) => reviewsByAuthor(id),
      },
      Product: {
        reviews: ({ upc }: { upc: string }) => reviewsOfProduct(upc),
      },
    },
  },
]);

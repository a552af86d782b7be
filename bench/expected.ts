// The correct answer to bench/operation.graphql, computed without federation: one plain schema
// over the same data, so every gateway (the plain @apollo/gateway included) is checked against
// an answer no gateway produced.
import { buildSchema, execute, parse } from 'graphql';
import { OPERATION } from './operation.js';
import {
  inStock,
  productByUpc,
  reviewsByAuthor,
  reviewsOfProduct,
  shippingEstimate,
  topProducts,
  userById,
  users,
  type Product,
  type Review,
  type User,
} from './subgraphs/data.js';

const schema = buildSchema(`
  type Query { users: [User] topProducts(first: Int = 5): [Product] }
  type User { id: ID! name: String username: String reviews: [Review] }
  type Product { upc: String! name: String price: Int weight: Int inStock: Boolean shippingEstimate: Int reviews: [Review] }
  type Review { id: ID! body: String author: User product: Product }
`);

// graphql's default resolver calls functions it finds on the parent, so views resolve lazily.
const userView = (user: User) => ({ ...user, reviews: () => reviewsByAuthor(user.id).map(reviewView) });
const productView = (product: Product) => ({
  ...product,
  inStock: inStock[product.upc],
  shippingEstimate: shippingEstimate(product.price, product.weight),
  reviews: () => reviewsOfProduct(product.upc).map(reviewView),
});
const reviewView = (review: Review) => ({
  id: review.id,
  body: review.body,
  author: () => userView(userById.get(review.authorId)!),
  product: () => productView(productByUpc.get(review.productUpc)!),
});

export function expectedAnswer(): unknown {
  const result = execute({
    schema,
    document: parse(OPERATION),
    rootValue: { users: () => users.map(userView), topProducts: ({ first }: { first: number }) => topProducts(first).map(productView) },
  });
  if ('then' in result || result.errors) throw new Error('the expected answer cannot be computed');
  // Plain objects, comparable with parsed JSON (graphql builds null-prototype objects).
  return JSON.parse(JSON.stringify(result));
}

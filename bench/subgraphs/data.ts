// The benchmark's fixed data, shared by the four subgraphs and by the expected answer.
// Sized like graphql-hive/graphql-gateways-benchmark: 6 users, 9 products, 11 reviews whose
// bodies run from ~140 to ~900 characters, four reviews on each of the first two products.
// Deterministic: no clocks, no randomness, so every run serves byte-identical answers.

export interface User {
  id: string;
  name: string;
  username: string;
}

export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}

export interface Review {
  id: string;
  body: string;
  authorId: string;
  productUpc: string;
}

export const users: User[] = [
  { id: '1', name: 'Ada Lovelace', username: 'ada' },
  { id: '2', name: 'Alan Turing', username: 'aturing' },
  { id: '3', name: 'Grace Hopper', username: 'grace' },
  { id: '4', name: 'Edsger Dijkstra', username: 'ewd' },
  { id: '5', name: 'Barbara Liskov', username: 'bliskov' },
  { id: '6', name: 'Donald Knuth', username: 'dek' },
];

// Some prices above 1000 (free shipping) and some below (shipping by weight).
export const products: Product[] = [
  { upc: '1', name: 'Desk', price: 899, weight: 100 },
  { upc: '2', name: 'Sofa', price: 1299, weight: 1000 },
  { upc: '3', name: 'Mug', price: 15, weight: 20 },
  { upc: '4', name: 'Stool', price: 499, weight: 100 },
  { upc: '5', name: 'Monitor', price: 1299, weight: 1000 },
  { upc: '6', name: 'Lamp', price: 6999, weight: 300 },
  { upc: '7', name: 'Barbecue', price: 3999, weight: 2000 },
  { upc: '8', name: 'Freezer', price: 100000, weight: 6000 },
  { upc: '9', name: 'Armchair', price: 9999, weight: 800 },
];

/** What the inventory subgraph knows: stock per product. */
export const inStock: Record<string, boolean> = { '1': true, '2': false, '3': false, '4': false, '5': true, '6': true, '7': true, '8': false, '9': true };

const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna ' +
  'aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute ' +
  'irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident'
).split(' ');

/** Filler text of about `length` characters, the same for the same seed on every run. */
export function filler(seed: number, length: number): string {
  let text = '';
  let state = seed;
  while (text.length < length) {
    state = (state * 1103515245 + 12345) % 2147483648;
    text += (text ? ' ' : '') + WORDS[(state >>> 16) % WORDS.length];
  }
  return `${text.slice(0, length - 1).trimEnd()}.`;
}

// Which product each review is about and how long its body is (the public benchmark's shape);
// authors take turns so every user has one or two reviews.
const REVIEW_SHAPE: Array<[productUpc: string, bodyLength: number]> = [
  ['1', 445], ['1', 290], ['1', 270], ['1', 140],
  ['2', 445], ['2', 290], ['2', 270], ['2', 140],
  ['3', 140], ['4', 140], ['4', 900],
];

export const reviews: Review[] = REVIEW_SHAPE.map(([productUpc, bodyLength], i) => ({
  id: String(i + 1),
  body: filler(i + 1, bodyLength),
  authorId: users[i % users.length]!.id,
  productUpc,
}));

export const userById = new Map(users.map((user) => [user.id, user]));
export const productByUpc = new Map(products.map((product) => [product.upc, product]));
export const reviewById = new Map(reviews.map((review) => [review.id, review]));

export const reviewsByAuthor = (userId: string) => reviews.filter((review) => review.authorId === userId);
export const reviewsOfProduct = (upc: string) => reviews.filter((review) => review.productUpc === upc);
export const topProducts = (first: number) => products.slice(0, Math.max(0, first));

/** Free above 1000, else half the weight; unknown without both (the @requires fields). */
export function shippingEstimate(price: number | null | undefined, weight: number | null | undefined): number | null {
  if (price == null || weight == null) return null;
  return price > 1000 ? 0 : Math.floor(weight / 2);
}

// Scalars every subgraph declares the same way: DateTime as an ISO 8601 string in UTC,
// JSON as any JSON value, ByteCount as a whole number of bytes past Int's 2 GiB.
import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { badUserInput } from './errors.js';

function toDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw badUserInput('DateTime must be an ISO 8601 string');
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value : toDate(value)).toISOString(),
  parseValue: toDate,
  parseLiteral: (ast) => toDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

// Up to 2^53 - 1 (8 PiB): exact as a JSON number in every client, JavaScript included.
function toByteCount(value: unknown): number {
  const count = typeof value === 'bigint' ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw badUserInput('ByteCount must be a whole number from 0 to 2^53 - 1');
  return count;
}

export const ByteCountScalar = new GraphQLScalarType<number, number>({
  name: 'ByteCount',
  description: 'A number of bytes: a whole number from 0 to 2^53 - 1, sent as a JSON number.',
  serialize: toByteCount,
  parseValue: toByteCount,
  parseLiteral: (ast) => toByteCount(ast.kind === Kind.INT ? Number(ast.value) : undefined),
});

export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

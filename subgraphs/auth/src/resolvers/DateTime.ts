// DateTime: ISO 8601 strings in UTC.
import { GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from '@builderai/kit';

function toDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw badUserInput('DateTime must be an ISO 8601 string');
  return date;
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value : toDate(value)).toISOString(),
  parseValue: toDate,
  parseLiteral: (ast) => toDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

// Every error a client sees carries one of these codes; anything else is masked.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  CONFLICT: 'CONFLICT',
  /** The platform cannot do this as configured (e.g. no model provider): the message says what to set. */
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function appError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const unauthenticated = (message = 'Authentication required') => appError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'Not allowed') => appError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string) => appError(ErrorCode.NOT_FOUND, `${what} not found`);
export const conflict = (message: string, field?: string) => appError(ErrorCode.CONFLICT, message, field ? { field } : {});
export const badUserInput = (message: string, field?: string) =>
  appError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  appError(ErrorCode.RATE_LIMITED, message, { retryAfter: retryAfterSeconds });
export const quotaExceeded = (message: string) => appError(ErrorCode.QUOTA_EXCEEDED, message);
export const unavailable = (message: string) => appError(ErrorCode.UNAVAILABLE, message);

const SHOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  // Apollo Server's own request errors are safe to show as they are.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Every code a client can receive: the shown ones, and INTERNAL_SERVER_ERROR for the masked rest (the SDK's ErrorCode). */
export const CLIENT_ERROR_CODES: readonly string[] = [...SHOWN_CODES, ErrorCode.INTERNAL_SERVER_ERROR];

/** Apollo `formatError`: keep coded errors, mask the rest (no stack, no SQL). */
export function formatError(formatted: GraphQLFormattedError, _error?: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && SHOWN_CODES.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

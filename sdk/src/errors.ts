// What a failed call rejects with: the GraphQL errors as the API sent them, and the first one's
// code (a typed union of the codes the API answers with), field and retryAfter at hand.
import type { ErrorCode } from './generated/error-codes.js';

export { ERROR_CODES, type ErrorCode } from './generated/error-codes.js';

export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: ErrorCode | (string & {}); field?: string; retryAfter?: number; [key: string]: unknown };
}

export class BuilderAIError extends Error {
  override name = 'BuilderAIError';
  constructor(
    readonly errors: GraphQLErrorEntry[],
    readonly status: number,
    /** Whatever data came back beside the errors. */
    readonly data?: unknown,
  ) {
    super(errors.map((error) => error.message).join('; ') || `HTTP ${status}`);
  }

  /** The code of the first error, e.g. UNAUTHENTICATED or BAD_USER_INPUT. */
  get code(): ErrorCode | undefined {
    return this.errors[0]?.extensions?.code as ErrorCode | undefined;
  }

  /** The input field the first error is about (BAD_USER_INPUT, CONFLICT), when it names one. */
  get field(): string | undefined {
    return this.errors[0]?.extensions?.field;
  }

  /** Seconds to wait before trying again (RATE_LIMITED). */
  get retryAfter(): number | undefined {
    const seconds = this.errors.find((error) => typeof error.extensions?.retryAfter === 'number')?.extensions?.retryAfter;
    return seconds;
  }

  /** Whether any of the errors has `code`. */
  has(code: ErrorCode): boolean {
    return this.errors.some((error) => error.extensions?.code === code);
  }
}

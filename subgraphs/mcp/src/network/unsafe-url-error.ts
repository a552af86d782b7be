// The one error a refused server URL or connection raises, worded for the user who registered it.

/** Why a URL was refused: a kind to branch on, and a message to show as it is. */
export type UnsafeUrlProblem = 'invalid-url' | 'scheme' | 'credentials' | 'unresolvable' | 'address';

export class UnsafeUrlError extends Error {
  override readonly name = 'UnsafeUrlError';

  constructor(
    readonly problem: UnsafeUrlProblem,
    message: string,
  ) {
    super(message);
  }
}

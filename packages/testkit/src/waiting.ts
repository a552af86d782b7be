// Waiting for asynchronous effects (events, relays) without fixed sleeps.

/** Polls until `check` returns a truthy value; fails after the deadline, naming what it waited for. */
export async function eventually<T>(check: () => Promise<T>, what = 'a condition', timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError ? `: ${(lastError as Error).message}` : '';
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Lets in-flight deliveries (e.g. a duplicate) finish before asserting that nothing changed. */
export const settle = (ms = 750) => new Promise((resolve) => setTimeout(resolve, ms));

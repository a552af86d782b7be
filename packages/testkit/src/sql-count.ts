// Counts the SQL statements this process sends through pg (Prisma's adapter included) that
// match a pattern, so a test can assert what a request costs.
import pg from 'pg';

export interface SqlCount {
  readonly count: number;
  reset(): void;
}

/** Counts from the suite's start to its end; `reset()` before the request to measure. */
export function useSqlCount(pattern: RegExp): SqlCount {
  const originalQuery = pg.Client.prototype.query;
  let count = 0;
  beforeAll(() => {
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (text && pattern.test(text)) count++;
      return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof originalQuery;
  });
  afterAll(() => {
    pg.Client.prototype.query = originalQuery;
  });
  return {
    get count() {
      return count;
    },
    reset: () => {
      count = 0;
    },
  };
}

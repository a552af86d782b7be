// What bench/load.ts reports for one gateway, and how its latency percentiles are taken.

export type LoadResult =
  | { correct: false; problem: string }
  | {
      correct: true;
      responseBytes: number;
      requests: number;
      seconds: number;
      /** Requests answered in the warm-up window (not in the figures, but in the gateway's CPU time). */
      warmupRequests: number;
      requestsPerSecond: number;
      latencyMs: { p50: number; p95: number; p99: number };
      /** In the measured window: HTTP statuses other than 2xx, socket errors and timeouts, bodies unlike the correct one. */
      non2xx: number;
      errors: number;
      mismatches: number;
      warmupProblems: number;
    };

/** Nearest-rank percentile of ascending values (autocannon reports no p95). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

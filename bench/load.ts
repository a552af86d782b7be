// One gateway under load, in its own process so the load generator's work is not measured as
// the orchestrator's. First one request, compared deep-equal to the expected answer; then
// autocannon: a warm-up window, then the measured window, checking every response body against
// that first correct one (string equality: exact, and cheaper for the load generator than hashing). Prints one JSON line (LoadResult) on stdout.
//
// env: BENCH_TARGET (the gateway's /graphql URL), BENCH_AUTHORIZATION (optional header; several
//      separated by commas are spread over the connections, one user per connection),
//      BENCH_WARMUP_S (5), BENCH_DURATION_S (20), BENCH_CONNECTIONS (50).
import { isDeepStrictEqual } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { REQUEST_BODY } from './operation.js';
import { expectedAnswer } from './expected.js';
import { percentile, type LoadResult } from './load-result.js';

const target = process.env.BENCH_TARGET!;
const warmupSeconds = Number(process.env.BENCH_WARMUP_S ?? 5);
const durationSeconds = Number(process.env.BENCH_DURATION_S ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const headers: Record<string, string> = { 'content-type': 'application/json' };
const authorizations = (process.env.BENCH_AUTHORIZATION ?? '').split(',').filter(Boolean);
if (authorizations.length > 0) headers.authorization = authorizations[0]!;
let clients = 0;
/** Each connection sends the next authorization: with one per connection, every connection is another user. */
const setupClient = (client: { setHeaders(headers: Record<string, string>): void }) => {
  if (authorizations.length > 1) client.setHeaders({ ...headers, authorization: authorizations[clients++ % authorizations.length]! });
};

const finish = (result: LoadResult) => {
  console.log(JSON.stringify(result));
  process.exit(0);
};

/** Where two JSON values first differ, for a readable failure. */
function firstDifference(actual: unknown, expected: unknown, path = '$'): string {
  if (typeof actual !== 'object' || typeof expected !== 'object' || actual === null || expected === null) {
    return `${path}: got ${JSON.stringify(actual)?.slice(0, 120)}, expected ${JSON.stringify(expected)?.slice(0, 120)}`;
  }
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  for (const key of keys) {
    const [a, e] = [(actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key]];
    if (!isDeepStrictEqual(a, e)) return firstDifference(a, e, `${path}.${key}`);
  }
  return `${path}: differs`;
}

// 1. One correct answer first: a fast wrong gateway must not make the table.
const response = await fetch(target, { method: 'POST', headers, body: REQUEST_BODY });
const text = await response.text();
let parsed: unknown;
try {
  parsed = JSON.parse(text);
} catch {
  parsed = text;
}
const expected = expectedAnswer();
if (response.status !== 200 || !isDeepStrictEqual(parsed, expected)) {
  finish({ correct: false, problem: `HTTP ${response.status}; ${firstDifference(parsed, expected)}` });
}
const sameBody = (body: string) => body === text;

function run(seconds: number, latencies?: number[]) {
  return new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      { url: target, method: 'POST', headers, body: REQUEST_BODY, connections, duration: seconds, verifyBody: sameBody, setupClient },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (latencies) instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
}

// 2. Warm-up (JIT, caches, connection pools), then the window that counts.
process.stderr.write(`  warm-up ${warmupSeconds}s, ${connections} connections\n`);
const warmup = await run(warmupSeconds);
process.stderr.write(`  measuring ${durationSeconds}s\n`);
const latencies: number[] = [];
const measured = await run(durationSeconds, latencies);
latencies.sort((a, b) => a - b);

finish({
  correct: true,
  responseBytes: Buffer.byteLength(text),
  requests: measured.requests.total,
  seconds: measured.duration,
  warmupRequests: warmup.requests.total,
  requestsPerSecond: measured.requests.total / measured.duration,
  latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
  non2xx: measured.non2xx,
  errors: measured.errors,
  mismatches: measured.mismatches,
  warmupProblems: warmup.non2xx + warmup.errors + warmup.mismatches,
});

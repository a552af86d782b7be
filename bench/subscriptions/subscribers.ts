// The subscribers, in a process of their own: one graphql-ws client (one WebSocket) per
// subscriber, all on one subscription, each chunk's delivery timed from its send time. Connects
// them a batch at a time, reports progress every second, and ends once every chunk reached
// every subscriber, or nothing at all arrived for drainSeconds, or maxWaitSeconds after the
// production's end. A refusal while connecting fails the run; a subscription the server ends
// later (an error, or completed) is counted, and its missing chunks are lost ones.
// Prints SubscribersLine JSON lines.
//
// env: BENCH_PLAN (a SubscribersPlan JSON file).
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { createClient, type ExecutionResult } from 'graphql-ws';
import { percentile } from '../load-result.js';
import { nowMs, parseChunk, WARMUP_TEXT, type SubscribersLine, type SubscribersPlan, type SubscribersProgress } from './chunks.js';

const CONNECTING_AT_ONCE = 50;

const plan = JSON.parse(readFileSync(process.env.BENCH_PLAN!, 'utf8')) as SubscribersPlan;
const n = plan.connectionParams.length;
const expected = n * plan.chunks;
const say = (line: SubscribersLine) => process.stdout.write(`${JSON.stringify(line)}\n`);

const latencies = new Float64Array(expected);
const seen = new Uint8Array(expected);
const lastSeq = new Int32Array(n).fill(-1);
const heard = new Uint8Array(n);
const ended = new Uint8Array(n);
const count: SubscribersProgress = { connected: 0, listening: 0, warmedUp: 0, delivered: 0, ended: 0 };
let [duplicates, outOfOrder, errorEvents] = [0, 0, 0];
/** The first error the server gave. */
let problem: string | undefined;
let allConnected = false;
let firstSentAt = Infinity;
/** This process's CPU time when the first chunk arrived. */
let cpuAtFirstChunk: NodeJS.CpuUsage | undefined;
let lastHeardAt = 0;
let lastDeliveredAt = 0;

function fail(reason: string): never {
  say({ failed: reason });
  process.exit(0);
}

/** graphql-ws hands the sink an Error, a CloseEvent or GraphQL errors. */
function reasonOf(error: unknown): string {
  if (Array.isArray(error)) return `subscription error: ${error.map((each: { message: string }) => each.message).join('; ')}`;
  const close = error as { code?: number; reason?: string; message?: string };
  if (typeof close.code === 'number') return `socket closed with ${close.code}${close.reason ? ` (${close.reason})` : ''}`;
  return close.message ?? String(error);
}

function onEnd(subscriber: number, reason: string): void {
  if (!allConnected) fail(`connecting to ${plan.url}: ${reason}`);
  if (ended[subscriber]) return;
  ended[subscriber] = 1;
  count.ended++;
  problem ??= reason;
}

function onResult(subscriber: number, result: ExecutionResult<{ messageStream?: { type?: string; delta?: string } }>): void {
  const receivedAt = nowMs();
  lastHeardAt = receivedAt;
  if (result.errors?.length) {
    errorEvents++;
    problem ??= reasonOf(result.errors);
  }
  if (!heard[subscriber]) {
    heard[subscriber] = 1;
    count.listening++;
  }
  const event = result.data?.messageStream;
  if (event?.type !== 'DELTA') return;
  if (event.delta === WARMUP_TEXT) return void count.warmedUp++;
  const chunk = parseChunk(event.delta);
  if (!chunk || chunk.seq >= plan.chunks) return;
  const slot = subscriber * plan.chunks + chunk.seq;
  if (seen[slot]) return void duplicates++;
  seen[slot] = 1;
  cpuAtFirstChunk ??= process.cpuUsage();
  if (chunk.seq < lastSeq[subscriber]!) outOfOrder++;
  else lastSeq[subscriber] = chunk.seq;
  latencies[count.delivered++] = receivedAt - chunk.sentAt;
  firstSentAt = Math.min(firstSentAt, chunk.sentAt);
  lastDeliveredAt = receivedAt;
}

/** Resolves once the server acknowledged the connection; the subscription follows at once. */
function subscribe(subscriber: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = createClient({
      url: plan.url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: plan.connectionParams[subscriber],
      on: { connected: () => resolve() },
    });
    client.subscribe(
      { query: plan.query, variables: plan.variables },
      {
        next: (result) => onResult(subscriber, result as never),
        error: (error) => {
          reject(new Error(reasonOf(error)));
          onEnd(subscriber, reasonOf(error));
        },
        complete: () => onEnd(subscriber, 'completed by the server'),
      },
    );
  });
}

const started = nowMs();
const progress = () => say({ progress: count });
const report = setInterval(progress, 1000);
for (let next = 0; next < n; next += CONNECTING_AT_ONCE) {
  await Promise.all(Array.from({ length: Math.min(CONNECTING_AT_ONCE, n - next) }, (_, i) => subscribe(next + i).then(() => void count.connected++)));
}
allConnected = true;
const connectSeconds = (nowMs() - started) / 1000;
lastHeardAt = nowMs();
progress();

// From now on something keeps arriving (probes, the warm-up, the chunks) until production ends.
await new Promise<void>((resolve) => {
  const check = setInterval(() => {
    const now = nowMs();
    const overdue = now > firstSentAt + (plan.productionSeconds + plan.maxWaitSeconds) * 1000;
    if (count.delivered === expected || now - lastHeardAt > plan.drainSeconds * 1000 || overdue) {
      clearInterval(check);
      resolve();
    }
  }, 100);
});
clearInterval(report);

const sorted = latencies.subarray(0, count.delivered).sort();
const at = (p: number) => Number(percentile(sorted as unknown as number[], p).toFixed(2));
say({
  result: {
    subscribers: n,
    expected,
    delivered: count.delivered,
    duplicates,
    outOfOrder,
    ended: count.ended,
    errorEvents,
    ...(problem && { problem }),
    latencyMs: { p50: at(50), p95: at(95), p99: at(99), max: at(100) },
    deliveredPerSecond: count.delivered ? Math.round(count.delivered / ((lastDeliveredAt - firstSentAt) / 1000)) : 0,
    connectSeconds: Number(connectSeconds.toFixed(1)),
    cpuSeconds: cpuAtFirstChunk ? Number((Object.values(process.cpuUsage(cpuAtFirstChunk)).reduce((sum, micros) => sum + micros, 0) / 1e6).toFixed(2)) : 0,
  },
});
process.exit(0);

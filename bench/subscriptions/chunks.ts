// What a produced chunk carries: its sequence number and when it was sent, as the delta's text
// ("<seq> <ms>"). The time is the machine's monotonic clock (process.hrtime: CLOCK_MONOTONIC on
// Linux, one clock for every process), so a subscriber in another process subtracts it from
// its own reading. Anything else on the stream (probes, an earlier answer) is not a chunk.

/** Milliseconds on the machine's monotonic clock, to the microsecond. */
export const nowMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;

export const chunkText = (seq: number, sentAt: number) => `${seq} ${sentAt.toFixed(3)}`;

/** Sent while subscribers connect, until each has received something: they are all listening. */
export const PROBE_TEXT = 'probe';

/** The warm-up's chunks: delivered like the others, not measured. */
export const WARMUP_TEXT = 'warm-up';

export function parseChunk(text: unknown): { seq: number; sentAt: number } | undefined {
  const match = typeof text === 'string' ? /^(\d+) (\d+\.\d+)$/.exec(text) : null;
  return match ? { seq: Number(match[1]), sentAt: Number(match[2]) } : undefined;
}

/** The subscribers' instructions (a JSON file, BENCH_PLAN): one connectionParams per subscriber. */
export interface SubscribersPlan {
  url: string;
  query: string;
  variables: Record<string, unknown>;
  connectionParams: Array<Record<string, unknown>>;
  chunks: number;
  productionSeconds: number;
  /** Give up on missing chunks when nothing at all arrived for this long... */
  drainSeconds: number;
  /** ...or this long after the production's end. */
  maxWaitSeconds: number;
}

/** What bench/subscriptions/subscribers.ts reports: one JSON object per stdout line. */
export type SubscribersLine =
  | { progress: SubscribersProgress }
  | { failed: string }
  | { result: DeliveryResult };

export interface SubscribersProgress {
  connected: number;
  /** Subscriptions that have received something. */
  listening: number;
  /** Warm-up chunks received, over every subscriber. */
  warmedUp: number;
  delivered: number;
  ended: number;
}

export interface DeliveryResult {
  subscribers: number;
  expected: number;
  delivered: number;
  duplicates: number;
  outOfOrder: number;
  /** Subscriptions the server ended (an error, or complete) before the last chunk. */
  ended: number;
  /** Events that came with GraphQL errors (a field that failed to resolve). */
  errorEvents: number;
  /** The first reason of either. */
  problem?: string;
  /** Send to receipt, nearest-rank over every delivered chunk. */
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Delivered chunks per second, from the first chunk's send to the last receipt. */
  deliveredPerSecond: number;
  connectSeconds: number;
  /** The subscribers' process's CPU time from the first chunk on (is it the bottleneck?). */
  cpuSeconds: number;
}

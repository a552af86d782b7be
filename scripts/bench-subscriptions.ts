// `npm run bench:subscriptions`: fan-out of the chat's messageStream subscription. N subscribers
// (graphql-ws clients in a process of their own) on one conversation receive chunks produced at
// R a second for D seconds, on three targets in turn, each server in a child process:
//   floor   a bare graphql-ws server, in-process pub/sub, the same payload (bench/subscriptions/floor-server.ts);
//   chat    the chat subgraph's own graphql-ws endpoint, identities signed as the router signs them;
//   router  the router's public endpoint, ws://<router>/graphql, with a bearer token.
// chat and router run the real platform (bench/subscriptions/platform-server.ts) on bench-only
// databases (bai_bench_<service>, migrated first), Redis prefix and queues; their chunks are
// appended to the conversation's Redis stream as generation.ts appends an answer's text.
// Prints per target delivered/expected, delivery latency, deliveries per second, the server's
// RSS per open subscription and the ratios to the floor; writes bench/results/subscriptions-<date>.json
// and (a run of every target) the tables of README.md and bench/README.md.
//
// env: BENCH_SUBSCRIBERS (1000), BENCH_CHUNK_RATE (50 a second), BENCH_DURATION_S (10),
//      BENCH_WARMUP_S (1: chunks at the same rate before the measured ones, delivered first, not measured),
//      BENCH_DRAIN_S (10) and BENCH_MAX_WAIT_S (300): missing chunks are lost once nothing has
//      arrived for DRAIN_S, or MAX_WAIT_S after the production's end,
//      BENCH_ONLY (floor,chat,router), DATABASE_URL, REDIS_URL, AMQP_URL (local defaults).
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createClient as createRedis } from 'redis';
import WebSocket from 'ws';
import { IDENTITY_HEADER, REQUEST_ID_HEADER, keyFromEnv, signIdentity } from '@builderai/kit';
import { migrateAll } from '@builderai/kit/migrate';
import { REPO_ROOT as root } from '@builderai/kit/services';
import { createRedisStreams } from '@builderai/kit/streams/redis-streams';
import { startNode, waitForLine, type Child } from '../bench/child.js';
import { benchPlatformEnv } from '../bench/platform-env.js';
import { sampleRss, treeRssKb } from '../bench/rss.js';
import { cpuSecondsOf } from '../bench/cpu-time.js';
import { alignedTable, markdownOf } from '../bench/report.js';
import { chunkText, nowMs, PROBE_TEXT, WARMUP_TEXT, type DeliveryResult, type SubscribersLine, type SubscribersProgress, type SubscribersPlan } from '../bench/subscriptions/chunks.js';
import { createBenchConversation } from '../bench/subscriptions/conversation.js';

const env = process.env;
const SUBSCRIBERS = Number(env.BENCH_SUBSCRIBERS ?? 1000);
const RATE = Number(env.BENCH_CHUNK_RATE ?? 50);
const DURATION_S = Number(env.BENCH_DURATION_S ?? 10);
const DRAIN_S = Number(env.BENCH_DRAIN_S ?? 10);
const WARMUP_S = Number(env.BENCH_WARMUP_S ?? 1);
const MAX_WAIT_S = Number(env.BENCH_MAX_WAIT_S ?? 300);
const CHUNKS = Math.round(RATE * DURATION_S);
const ONLY = env.BENCH_ONLY?.split(',').filter(Boolean);
const STREAM_DOCUMENT = 'subscription ($id: ID!) { messageStream(conversationId: $id) { cursor type delta message { id status } } }';

const resultsDir = path.join(root, 'bench/results');
const started = Date.now();
const log = (message: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The platform's environment: a test run's (keys, secrets, local services), under bench-only names.
const runId = randomUUID().slice(0, 8);
const platformEnv: Record<string, string> = {
  ...benchPlatformEnv(runId),
  NODE_ENV: 'production',
  // Every subscriber is the one user (a conversation is its owner's alone): the router's
  // per-user limit (100 by default) is raised to let them all in.
  MAX_SUBSCRIPTIONS_PER_USER: String(Math.max(100, SUBSCRIBERS)),
};
const identityKey = keyFromEnv('IDENTITY_PRIVATE_KEY', platformEnv.IDENTITY_PRIVATE_KEY!, 'private', 'ed25519');

/** A server under test, running in its child process, and how to reach and feed it. */
interface Server {
  child: Child;
  url: string;
  variables: Record<string, unknown>;
  connectionParams: () => Record<string, unknown>;
  publish(text: string): Promise<void>;
}

interface Target {
  id: 'floor' | 'chat' | 'router';
  label: string;
  note: string;
  start(): Promise<Server>;
}

interface TargetResult {
  id: Target['id'];
  label: string;
  note: string;
  failed?: string;
  delivery?: DeliveryResult;
  rss?: { beforeMb: number; connectedMb: number; peakMb: number; perSubscriptionKb: number };
  /** The server's CPU time from the first chunk's send to the last delivery, and the subscribers'. */
  cpu?: { serverSeconds: number; serverMicrosPerDelivery: number; subscribersSeconds: number };
}

const nodeChild = (file: string, childEnv: Record<string, string> = {}) => startNode(['--expose-gc', '--import', 'tsx', path.join(root, file)], { cwd: root, env: childEnv });

/**
 * The server's resident memory once garbage is collected, in kB: full collections (its SIGUSR2
 * handler) half a second apart, as V8 gives pages back over the next ones.
 */
async function settledRssKb(server: Server): Promise<number> {
  for (let round = 0; round < 3; round++) {
    process.kill(server.child.pid, 'SIGUSR2');
    await sleep(500);
  }
  return treeRssKb(server.child.pid);
}

const readyLine = async (child: Child, timeoutMs = 60_000) => JSON.parse(await waitForLine(child, (line) => line.startsWith('{"ready"'), timeoutMs));

async function startFloor(): Promise<Server> {
  const child = nodeChild('bench/subscriptions/floor-server.ts');
  const url = (await readyLine(child)).url.replace(/^http/, 'ws');
  const producer = new WebSocket(`${url}/publish`);
  await once(producer, 'open');
  return {
    child,
    url: `${url}/graphql`,
    variables: { id: 'bench' },
    connectionParams: () => ({}),
    publish: (text) => new Promise((resolve, reject) => producer.send(text, (error) => (error ? reject(error) : resolve()))),
  };
}

/** The producer's Redis connection for chat and router (one connection: appends stay in order). */
const redis = createRedis({ url: platformEnv.REDIS_URL });
const streams = createRedisStreams(redis as never, platformEnv.REDIS_PREFIX);

/** The platform with a conversation whose stream the benchmark appends to; `via` picks the endpoint. */
async function startPlatform(via: 'chat' | 'router'): Promise<Server> {
  const child = nodeChild('bench/subscriptions/platform-server.ts', platformEnv);
  try {
    const { graphqlUrl, chatUrl } = await readyLine(child, 180_000);
    log(`  platform up; registering a user, a project, a conversation and an answered message`);
    const { accessToken, identity, conversationId, answerId } = await createBenchConversation(graphqlUrl);
    if (!redis.isOpen) await redis.connect();
    return {
      child,
      url: (via === 'chat' ? chatUrl : graphqlUrl).replace(/^http/, 'ws'),
      variables: { id: conversationId },
      // As the router connects to chat: an identity signed for chat, bound to a request id.
      connectionParams: () => {
        if (via === 'router') return { authorization: `Bearer ${accessToken}` };
        const requestId = randomUUID();
        return { [IDENTITY_HEADER]: signIdentity(identity, identityKey, { subgraph: 'chat', requestId }, { ttlSeconds: 600 }), [REQUEST_ID_HEADER]: requestId };
      },
      publish: async (text) => void (await streams.append(`conversation:${conversationId}`, { messageId: answerId, type: 'delta', text }, 600_000)),
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

const TARGETS: Target[] = [
  { id: 'floor', label: 'floor: bare graphql-ws', note: 'useServer from graphql-ws/use/ws over a ws WebSocketServer, a messageStream of the same shape fed by an in-process pub/sub; chunks sent to it on a WebSocket', start: startFloor },
  { id: 'chat', label: 'chat subgraph directly', note: "the chat subgraph's graphql-ws endpoint with identities signed for chat; chunks appended to the conversation's Redis stream; RSS of the whole platform process", start: () => startPlatform('chat') },
  { id: 'router', label: 'through the router', note: `ws://<router>/graphql (graphql-transport-ws) with a bearer token, MAX_SUBSCRIPTIONS_PER_USER raised to ${Math.max(100, SUBSCRIBERS)}; identical subscriptions share one upstream to chat; chunks appended to the conversation's Redis stream; RSS of the whole platform process`, start: () => startPlatform('router') },
];

/** Follows the subscribers' JSON lines; `state` always holds the latest of each kind. */
function watchSubscribers(child: Child) {
  const state: { progress: SubscribersProgress; failed?: string; result?: DeliveryResult } = { progress: { connected: 0, listening: 0, warmedUp: 0, delivered: 0, ended: 0 } };
  let pending = '';
  child.process.stdout!.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop()!;
    for (const line of lines.filter((each) => each.startsWith('{'))) Object.assign(state, JSON.parse(line) as SubscribersLine);
  });
  void child.exited.then((code) => {
    if (!state.result && !state.failed) state.failed = `the subscribers' process exited with ${code}: ${child.tail().split('\n').slice(-3).join(' ')}`;
  });
  return state;
}

/**
 * Waits for `done`, logging `progress()` every 2 s for 20 s, then every 10 s; throws the
 * subscribers' failure or on timeout.
 */
async function until(done: () => boolean, state: { failed?: string }, timeoutMs: number, what: string, progress: () => string): Promise<void> {
  const start = Date.now();
  const deadline = start + timeoutMs;
  let nextLog = start + 2000;
  while (!done()) {
    if (state.failed) throw new Error(state.failed);
    if (Date.now() > deadline) throw new Error(`${what} took longer than ${timeoutMs / 1000} s (${progress()})`);
    if (Date.now() >= nextLog) {
      log(`  ${progress()}`);
      nextLog += nextLog - start < 20_000 ? 2000 : 10_000;
    }
    await sleep(50);
  }
}

/**
 * `count` chunks at RATE a second, the text of each made when it is sent; sent without waiting
 * for the previous one (in order all the same: one Redis connection, one WebSocket). `progress`
 * every 2 s.
 */
async function produce(server: Server, count: number, text: (seq: number) => string, progress?: (produced: number) => void): Promise<void> {
  const start = nowMs();
  const sends: Array<Promise<void>> = [];
  let nextLog = Date.now() + 2000;
  for (let seq = 0; seq < count; seq++) {
    const wait = start + (seq * 1000) / RATE - nowMs();
    if (wait > 0) await sleep(wait);
    sends.push(server.publish(text(seq)));
    if (progress && Date.now() >= nextLog) {
      progress(seq);
      nextLog += 2000;
    }
  }
  await Promise.all(sends);
}

async function benchTarget(target: Target): Promise<TargetResult> {
  log(`${target.label}: starting`);
  const result: TargetResult = { id: target.id, label: target.label, note: target.note };
  let server: Server | undefined;
  let subscribers: Child | undefined;
  let memory: ReturnType<typeof sampleRss> | undefined;
  const planFile = path.join(tmpdir(), `bai-bench-subscribers-${runId}-${target.id}.json`);
  try {
    server = await target.start();
    const plan: SubscribersPlan = {
      url: server.url,
      query: STREAM_DOCUMENT,
      variables: server.variables,
      connectionParams: Array.from({ length: SUBSCRIBERS }, server.connectionParams),
      chunks: CHUNKS,
      productionSeconds: DURATION_S,
      drainSeconds: DRAIN_S,
      maxWaitSeconds: MAX_WAIT_S,
    };
    writeFileSync(planFile, JSON.stringify(plan));
    const beforeKb = await settledRssKb(server);
    log(`  server RSS ${(beforeKb / 1024).toFixed(0)} MB; connecting ${SUBSCRIBERS} subscribers to ${server.url}`);
    subscribers = nodeChild('bench/subscriptions/subscribers.ts', { BENCH_PLAN: planFile });
    const state = watchSubscribers(subscribers);
    const connectStart = Date.now();
    await until(() => state.progress.connected === SUBSCRIBERS, state, 300_000, 'connecting', () => `connected ${state.progress.connected}/${SUBSCRIBERS}`);

    // Probes until every subscriber has received something: all are listening.
    let probing = true;
    const probes = (async () => {
      while (probing) {
        await server!.publish(PROBE_TEXT);
        await sleep(500);
      }
    })();
    try {
      await until(() => state.progress.listening + state.progress.ended >= SUBSCRIBERS, state, 120_000, 'subscribing', () => `listening ${state.progress.listening}/${SUBSCRIBERS}`);
    } finally {
      probing = false;
      await probes;
    }
    const connectedKb = await settledRssKb(server);
    log(`  ${state.progress.listening} of ${SUBSCRIBERS} listening, ${((Date.now() - connectStart) / 1000).toFixed(1)} s after the subscribers started; server RSS ${(connectedKb / 1024).toFixed(0)} MB`);

    // Warm-up chunks, delivered before the measured ones start (a server that cannot keep up
    // would otherwise still be working through them).
    const warmup = Math.round(RATE * WARMUP_S);
    if (warmup > 0) {
      log(`  warm-up: ${warmup} chunks in ${WARMUP_S} s, not measured`);
      await produce(server, warmup, () => WARMUP_TEXT);
      const open = () => SUBSCRIBERS - state.progress.ended;
      await until(() => state.progress.warmedUp >= open() * warmup, state, (MAX_WAIT_S + DURATION_S) * 1000, 'the warm-up', () => `warm-up delivered ${state.progress.warmedUp}/${open() * warmup}`);
    }
    log(`  producing ${CHUNKS} chunks at ${RATE}/s`);
    memory = sampleRss(server.child.pid);
    const cpuBefore = cpuSecondsOf(server.child.pid);
    const productionStart = nowMs();
    await produce(server, CHUNKS, (seq) => chunkText(seq, nowMs()), (produced) =>
      log(`  produced ${produced}/${CHUNKS}, delivered ${state.progress.delivered}/${SUBSCRIBERS * CHUNKS}`),
    );
    log(`  produced ${CHUNKS} in ${((nowMs() - productionStart) / 1000).toFixed(1)} s; waiting for deliveries`);
    await until(() => state.result !== undefined, state, (MAX_WAIT_S + DRAIN_S + 30) * 1000, 'delivering', () => `delivered ${state.progress.delivered}/${SUBSCRIBERS * CHUNKS}`);
    const peakKb = Math.max(memory.stop() * 1024, connectedKb);
    const cpuSeconds = cpuSecondsOf(server.child.pid) - cpuBefore;
    result.delivery = state.result!;
    result.cpu = {
      serverSeconds: Number(cpuSeconds.toFixed(2)),
      serverMicrosPerDelivery: Math.round((cpuSeconds * 1e6) / Math.max(1, result.delivery.delivered)),
      subscribersSeconds: result.delivery.cpuSeconds,
    };
    result.rss = {
      beforeMb: Math.round(beforeKb / 1024),
      connectedMb: Math.round(connectedKb / 1024),
      peakMb: Math.round(peakKb / 1024),
      perSubscriptionKb: Number(((connectedKb - beforeKb) / SUBSCRIBERS).toFixed(1)),
    };
    const { delivered, expected, latencyMs } = result.delivery;
    log(`${target.label}: ${delivered}/${expected} delivered, p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms, ${result.rss.perSubscriptionKb} KB per subscription; CPU ${result.cpu.serverSeconds} s server, ${result.cpu.subscribersSeconds} s subscribers`);
  } catch (error) {
    result.failed = (error as Error).message.split('\n')[0]!;
    log(`${target.label}: FAILED: ${result.failed}`);
  } finally {
    memory?.stop();
    await subscribers?.stop();
    await server?.child.stop();
    rmSync(planFile, { force: true });
  }
  return result;
}

// ---- report ----

const HEADERS = {
  target: 'target',
  delivered: 'delivered / expected',
  p50: 'p50 ms',
  p95: 'p95 ms',
  p99: 'p99 ms',
  rate: 'delivered/s',
  cpu: 'server CPU µs per delivery',
  rssMb: 'server RSS MB, idle → subscribed',
  rss: 'RSS KB per subscription',
  vsP50: 'p50 vs floor',
  vsP99: 'p99 vs floor',
  problems: 'problems',
};

function problemsOf({ duplicates, outOfOrder, ended, errorEvents, problem }: DeliveryResult): string {
  const counts = [[duplicates, 'duplicates'], [outOfOrder, 'out of order'], [ended, 'subscriptions ended'], [errorEvents, 'events with errors']] as const;
  const found = counts.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
  return found.length === 0 ? 'none' : `${found.join(', ')}${problem ? ` (${problem})` : ''}`;
}

function rows(results: TargetResult[]): Array<Record<keyof typeof HEADERS, string>> {
  const floor = results.find((result) => result.id === 'floor')?.delivery?.latencyMs;
  const times = (own: number, base: number | undefined) => (base ? `${(own / base).toFixed(2)}x` : '-');
  return results.map(({ label, failed, delivery, rss, cpu }) =>
    !delivery || !rss || !cpu
      ? { target: label, delivered: 'FAILED', p50: '-', p95: '-', p99: '-', rate: '-', cpu: '-', rssMb: '-', rss: '-', vsP50: '-', vsP99: '-', problems: failed ?? '' }
      : {
          target: label,
          delivered: `${delivery.delivered} / ${delivery.expected}`,
          p50: delivery.latencyMs.p50.toFixed(1),
          p95: delivery.latencyMs.p95.toFixed(1),
          p99: delivery.latencyMs.p99.toFixed(1),
          rate: String(delivery.deliveredPerSecond),
          cpu: String(cpu.serverMicrosPerDelivery),
          rssMb: `${rss.beforeMb} → ${rss.connectedMb}`,
          rss: rss.perSubscriptionKb.toFixed(1),
          vsP50: times(delivery.latencyMs.p50, floor?.p50),
          vsP99: times(delivery.latencyMs.p99, floor?.p99),
          problems: problemsOf(delivery),
        },
  );
}

function replaceBetween(file: string, marker: string, content: string): void {
  const text = readFileSync(file, 'utf8');
  const pattern = new RegExp(`<!-- ${marker}:start -->[\\s\\S]*<!-- ${marker}:end -->`);
  if (!pattern.test(text)) throw new Error(`${path.relative(root, file)} has no <!-- ${marker}:start --> ... <!-- ${marker}:end --> section`);
  writeFileSync(file, text.replace(pattern, () => `<!-- ${marker}:start -->\n${content}\n<!-- ${marker}:end -->`));
}

async function main(): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  const loadAverageAtStart = loadavg();
  const targets = TARGETS.filter((target) => !ONLY || ONLY.includes(target.id));
  log(`${SUBSCRIBERS} subscribers, ${CHUNKS} chunks (${RATE}/s for ${DURATION_S} s); targets: ${targets.map((target) => target.id).join(', ')}`);
  if (targets.some((target) => target.id !== 'floor')) {
    log(`migrating the bench databases (${platformEnv.DATABASE_PREFIX}<service>)`);
    await migrateAll({ env: platformEnv, root, log: (line) => log(`  ${line}`) });
  }
  const results: TargetResult[] = [];
  try {
    for (const target of targets) results.push(await benchTarget(target));
  } finally {
    if (redis.isOpen) await redis.quit();
  }

  const stamp = new Date().toISOString().replace(/\..*$/, '').replace(/:/g, '-');
  const table = rows(results);
  console.log(`\n${alignedTable(HEADERS, table)}\n${results.map((result) => `  ${result.label}: ${result.note}`).join('\n')}\n`);
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAverageAtStart };
  const workload = { subscribers: SUBSCRIBERS, chunkRate: RATE, durationSeconds: DURATION_S, chunks: CHUNKS, warmupSeconds: WARMUP_S, drainSeconds: DRAIN_S, maxWaitSeconds: MAX_WAIT_S, document: STREAM_DOCUMENT };
  const file = `subscriptions-${stamp}.json`;
  writeFileSync(path.join(resultsDir, file), `${JSON.stringify({ date: new Date().toISOString(), machine, workload, targets: results }, null, 2)}\n`);
  log(`wrote bench/results/${file}`);

  if (!ONLY) {
    const setup = `${stamp} UTC, ${machine.cpus} cores (${machine.cpu}), ${SUBSCRIBERS} subscribers, ${RATE} chunks/s for ${DURATION_S} s (${CHUNKS} chunks)`;
    const section = `Latest run: ${setup} (\`bench/results/${file}\`).\n\n${markdownOf(HEADERS, table)}\n\n${results.map((result) => `- ${result.label}: ${result.note}`).join('\n')}`;
    for (const readme of ['README.md', 'bench/README.md']) replaceBetween(path.join(root, readme), 'subscriptions', section);
    log('updated the Subscriptions tables of README.md and bench/README.md');
  }
  if (results.some((result) => result.failed)) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error(`bench:subscriptions failed: ${(error as Error).message}`);
  process.exitCode = 1;
}

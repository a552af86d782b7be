// `npm run bench:mcp`: two figures of the mcp service's connections, each beside its baseline.
//  1. What a warm pooled tool call adds over a direct SDK client call to the same server (an
//     SDK-built server on loopback, Streamable HTTP, `add`): the pool path is the service's own
//     (guarded fetch, pool, breaker, the server's timeout), interleaved with the direct client in
//     blocks so both see the same machine; then the same call as users make it, through the
//     router (GraphQL over HTTP, identity, the mcp subgraph), on the real platform.
//  2. A dead server: 200 users with 5 servers each (4 alive, 1 that drops every connection),
//     each user calling each of its servers every 5 s for BENCH_STORM_SECONDS; the connection
//     attempts the dead server sees, with the breaker keyed by where the server is (ours), with
//     one breaker per user's entry, and with none.
// env: BENCH_CALLS (2000), BENCH_ROUTER_CALLS (500), BENCH_STORM_SECONDS (60), BENCH_USERS (200).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createLogger } from '@builderai/kit';
import { migrateAll } from '@builderai/kit/migrate';
import { REPO_ROOT as root } from '@builderai/kit/services';
import { graphql, startSdkMcpServer, type SdkMcpServer } from '@builderai/testkit';
import { startTestPlatform } from '@builderai/platform/testing';
import { ConnectionPool } from '../subgraphs/mcp/src/connections/pool.js';
import { openClient, type ServerEndpoint } from '../subgraphs/mcp/src/connections/open-client.js';
import { checkServerUrl, createGuardedFetch, guardedLookup, parseNetworkPolicy } from '../subgraphs/mcp/src/network/index.js';
import { alignedTable, markdownOf } from '../bench/report.js';
import { benchPlatformEnv } from '../bench/platform-env.js';
import { ms, percentile } from '../bench/mcp/percentiles.js';
import { startDeadServer } from '../bench/mcp/dead-server.js';

const env = process.env;
const CALLS = Number(env.BENCH_CALLS ?? 2000);
const ROUTER_CALLS = Number(env.BENCH_ROUTER_CALLS ?? 500);
const STORM_SECONDS = Number(env.BENCH_STORM_SECONDS ?? 60);
const USERS = Number(env.BENCH_USERS ?? 200);
const BLOCK = 100;

const started = Date.now();
const log = (message: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}`);
const sleep = (msDelay: number) => new Promise((resolve) => setTimeout(resolve, msDelay));
const logger = createLogger('bench-mcp', 'silent');

const policy = parseNetworkPolicy('loopback');
const fetch = createGuardedFetch(policy, { connectTimeoutMs: 5000 });
const lookup = guardedLookup(policy);
const ADD = { name: 'add', arguments: { a: 1, b: 2 } };

function newPool(breaker: { failures: number; openMs: number }) {
  return new ConnectionPool({
    open: (endpoint) => openClient(endpoint, { fetch, lookup, checkUrl: (url) => checkServerUrl(url.href, policy), connectTimeoutMs: 5000 }),
    idleCloseMs: 300_000,
    maxConnections: 5000,
    breaker,
    logger,
  });
}

const endpointTo = (url: string, userId = randomUUID()): ServerEndpoint => ({ id: randomUUID(), userId, transport: 'STREAMABLE_HTTP', urls: [url], command: null, headers: {}, timeoutMs: 30_000 });

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function latency(server: SdkMcpServer) {
  const url = server.url('streamableHttp');
  const direct = new Client({ name: 'bench', version: '1' });
  await direct.connect(new StreamableHTTPClientTransport(new URL(url)));
  const pool = newPool({ failures: 3, openMs: 30_000 });
  const endpoint = endpointTo(url);
  const viaPool = () => pool.use(endpoint, (client) => client.callTool(ADD, undefined, { timeout: endpoint.timeoutMs, maxTotalTimeout: endpoint.timeoutMs }));
  const viaDirect = () => direct.callTool(ADD);
  for (let i = 0; i < 200; i++) {
    await viaDirect();
    await viaPool();
  }
  const samples = { direct: [] as number[], pool: [] as number[] };
  for (let done = 0; done < CALLS; done += BLOCK) {
    for (let i = 0; i < BLOCK; i++) samples.direct.push(await timed(viaDirect));
    for (let i = 0; i < BLOCK; i++) samples.pool.push(await timed(viaPool));
    if ((done / BLOCK) % 5 === 4) log(`  ${done + BLOCK}/${CALLS} calls each`);
  }
  await direct.close();
  await pool.closeAll();
  return samples;
}

async function throughRouter(server: SdkMcpServer): Promise<number[]> {
  const platformEnv: Record<string, string> = { ...benchPlatformEnv(), MCP_ALLOW_NETWORKS: 'loopback', MCP_CHECK_INTERVAL_SECONDS: '3600' };
  log(`migrating the bench databases (${platformEnv.DATABASE_PREFIX}<service>)`);
  await migrateAll({ env: platformEnv, root, log: (line) => log(`  ${line}`) });
  log('starting the platform');
  const platform = await startTestPlatform(platformEnv);
  try {
    const { data } = await graphql(platform.graphqlUrl, 'mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }', {
      input: { email: `bench-mcp-${randomUUID().slice(0, 8)}@example.com`, password: 'correct horse 42', name: 'Bench' },
    });
    const token = data.register.accessToken as string;
    const ask = async (query: string, variables: Record<string, unknown>) => {
      const result = await graphql(platform.graphqlUrl, query, variables, { token });
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };
    const serverId = (await ask('mutation ($input: RegisterMcpServerInput!) { registerMcpServer(input: $input) { id } }', { input: { name: 'Adder', transport: 'STREAMABLE_HTTP', url: server.url('streamableHttp') } })).registerMcpServer.id;
    const call = () => ask('mutation ($id: ID!) { callMcpTool(serverId: $id, name: "add", arguments: { a: 1, b: 2 }) { structuredContent } }', { id: serverId });
    for (let i = 0; i < 50; i++) await call();
    const samples: number[] = [];
    for (let i = 0; i < ROUTER_CALLS; i++) samples.push(await timed(call));
    return samples;
  } finally {
    await platform.close();
  }
}

interface StormResult {
  setup: string;
  deadCalls: number;
  attempts: number;
  aliveCalls: number;
  aliveFailures: number;
  aliveP99: number;
}

async function storm(setup: 'shared' | 'per-user' | 'none', alive: SdkMcpServer[]): Promise<StormResult> {
  const dead = await startDeadServer();
  const pool = newPool(setup === 'none' ? { failures: Number.MAX_SAFE_INTEGER, openMs: 0 } : { failures: 3, openMs: 30_000 });
  const users = Array.from({ length: USERS }, (_, user) => {
    const userId = randomUUID();
    // Per user: the same dead server under a URL of the user's own, so each entry has its own breaker.
    const deadUrl = setup === 'per-user' ? dead.url(`?user=${user}`) : dead.url();
    return { dead: endpointTo(deadUrl, userId), alive: alive.map((server) => endpointTo(server.url('streamableHttp'), userId)) };
  });
  const result: StormResult = { setup, deadCalls: 0, attempts: 0, aliveCalls: 0, aliveFailures: 0, aliveP99: 0 };
  const aliveTimes: number[] = [];
  const call = (endpoint: ServerEndpoint) => pool.use(endpoint, (client) => client.callTool(ADD, undefined, { timeout: 10_000 }));
  const end = Date.now() + STORM_SECONDS * 1000;
  const rounds = users.map(async (user, index) => {
    await sleep((index / users.length) * 5000);
    // The first round opens the user's sessions (800 at once over 5 s, on the bench's one
    // thread with the servers); live times are those of the warm rounds after it.
    for (let warm = false; Date.now() < end; warm = true) {
      const round = Date.now();
      result.deadCalls += 1;
      const deadCall = call(user.dead).catch(() => undefined);
      const aliveCalls = user.alive.map(async (endpoint) => {
        result.aliveCalls += 1;
        try {
          const took = await timed(() => call(endpoint));
          if (warm) aliveTimes.push(took);
        } catch {
          result.aliveFailures += 1;
        }
      });
      await Promise.all([deadCall, ...aliveCalls]);
      await sleep(Math.max(0, 5000 - (Date.now() - round)));
    }
  });
  await Promise.all(rounds);
  result.attempts = dead.attempts;
  result.aliveP99 = percentile(aliveTimes, 99);
  await pool.closeAll();
  await dead.close();
  return result;
}

async function main() {
  const server = await startSdkMcpServer();
  log(`latency: ${CALLS} calls of \`add\` each way, interleaved in blocks of ${BLOCK}`);
  const samples = await latency(server);
  log(`through the router: ${ROUTER_CALLS} calls`);
  const router = await throughRouter(server);
  await server.close();

  const alive = await Promise.all([1, 2, 3, 4].map(() => startSdkMcpServer()));
  const storms: StormResult[] = [];
  for (const setup of ['shared', 'per-user', 'none'] as const) {
    log(`dead server: ${USERS} users × 5 servers for ${STORM_SECONDS} s, breaker ${setup}`);
    storms.push(await storm(setup, alive));
    log(`  ${storms.at(-1)!.attempts} connection attempts at the dead server`);
  }
  await Promise.all(alive.map((one) => one.close()));
  await fetch.close();

  const p = (values: number[], q: number) => percentile(values, q);
  const added = (q: number) => p(samples.pool, q) - p(samples.direct, q);
  const latencyHeaders = { path: 'path', p50: 'p50 ms', p99: 'p99 ms', added50: 'added p50 ms', added99: 'added p99 ms' };
  const latencyRows = [
    { path: 'direct SDK client', p50: ms(p(samples.direct, 50)), p99: ms(p(samples.direct, 99)), added50: '-', added99: '-' },
    { path: 'the mcp service\'s pool', p50: ms(p(samples.pool, 50)), p99: ms(p(samples.pool, 99)), added50: ms(added(50)), added99: ms(added(99)) },
    { path: 'through the router (GraphQL)', p50: ms(p(router, 50)), p99: ms(p(router, 99)), added50: ms(p(router, 50) - p(samples.direct, 50)), added99: ms(p(router, 99) - p(samples.direct, 99)) },
  ];
  const stormHeaders = { setup: 'breaker', deadCalls: 'calls to the dead server', attempts: 'connection attempts', alive: 'calls to live servers', failures: 'live failures', p99: 'live p99 ms (warm)' };
  const label = { shared: 'one per server (ours)', 'per-user': 'one per user entry', none: 'none' } as const;
  const stormRows = storms.map((one) => ({
    setup: label[one.setup as keyof typeof label],
    deadCalls: String(one.deadCalls),
    attempts: String(one.attempts),
    alive: String(one.aliveCalls),
    failures: String(one.aliveFailures),
    p99: ms(one.aliveP99),
  }));
  console.log(`\nA warm tool call (\`add\`, Streamable HTTP, loopback):\n\n${alignedTable(latencyHeaders, latencyRows)}`);
  console.log(`\nOne server of five dies: ${USERS} users, each calling each of its servers every 5 s for ${STORM_SECONDS} s:\n\n${alignedTable(stormHeaders, stormRows)}`);
  console.log(`\n${markdownOf(latencyHeaders, latencyRows)}\n\n${markdownOf(stormHeaders, stormRows)}`);
  const dir = path.join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `mcp-${new Date().toISOString().slice(0, 10)}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), calls: CALLS, latency: latencyRows, storm: storms }, null, 2)}\n`);
  log(`wrote ${path.relative(root, file)}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

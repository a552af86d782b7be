// `npm run bench:router`: the router against plain @apollo/gateway and Hive Gateway on the
// graphql-gateways-benchmark supergraph. Composes bench/supergraph.yaml, starts the four bench
// subgraphs once, then runs each gateway in turn on the same port with the same supergraph,
// checks its answer, loads it from a separate autocannon process and samples its memory.
// Prints a table and writes bench/results/router-<date>.json, latest.json and README's table.
//
// env: BENCH_WARMUP_S (5), BENCH_DURATION_S (15), BENCH_ROUNDS (3: alternating rounds, median shown),
//      BENCH_CONNECTIONS (50), BENCH_PORT (4200),
//      BENCH_SUBGRAPH_PORT (4201), BENCH_REDIS_URL (redis://127.0.0.1:6379),
//      BENCH_ONLY (comma-separated gateway ids), BENCH_PROFILE=1 (CPU profile of our router;
//      BENCH_PROFILE_ID picks another gateway),
//      BENCH_PAIRS (4: off/on window pairs measuring what auth+limits cost), BENCH_PAIR_PORT (4210).
import { cpus, loadavg } from 'node:os';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeBenchSupergraph } from '../bench/compose.js';
import { startNode, waitForLine, waitUntilServing } from '../bench/child.js';
import { startTokenIssuer } from '../bench/token-issuer.js';
import { gatewayRuns, type GatewayRun } from '../bench/gateways/catalog.js';
import { sampleRss } from '../bench/rss.js';
import { cpuSecondsOf } from '../bench/cpu-time.js';
import type { LoadResult } from '../bench/load-result.js';
import { markdownTable, medianRound, notes, ratios, roundsLine, textTable, type GatewayResult } from '../bench/report.js';
import { alternatingOrder, summarizeAuthCost, type AuthCost } from '../bench/auth-cost.js';
import { inclusiveShare, topSelfTime } from '../bench/profile.js';

/** The router's code for authentication and rate limits, for the profile's cost line. */
const AUTH_AND_LIMITS_FILES = ['router/src/identity/', 'router/src/rate-limits/'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench/results');
const env = process.env;
const port = Number(env.BENCH_PORT ?? 4200);
const gatewayUrl = `http://127.0.0.1:${port}/graphql`;
const load = { warmupSeconds: Number(env.BENCH_WARMUP_S ?? 5), durationSeconds: Number(env.BENCH_DURATION_S ?? 15), connections: Number(env.BENCH_CONNECTIONS ?? 50) };
const started = Date.now();
const log = (message: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}`);

const pairs = Number(env.BENCH_PAIRS ?? 4);
const rounds = Math.max(1, Number(env.BENCH_ROUNDS ?? 3));
const pairPort = Number(env.BENCH_PAIR_PORT ?? 4210);
const pairWindow = { warmupSeconds: 1, durationSeconds: 4, connections: load.connections };

/** The load in its own process (bench/load.ts), so the generator's CPU is not the orchestrator's. */
async function runLoad(authorization: string | undefined, url = gatewayUrl, window = load): Promise<LoadResult> {
  const child = startNode(['--import', 'tsx', path.join(root, 'bench/load.ts')], {
    cwd: root,
    env: {
      BENCH_TARGET: url,
      BENCH_AUTHORIZATION: authorization ?? '',
      BENCH_WARMUP_S: String(window.warmupSeconds),
      BENCH_DURATION_S: String(window.durationSeconds),
      BENCH_CONNECTIONS: String(load.connections),
    },
  });
  const line = await waitForLine(child, (text) => text.startsWith('{'), (window.warmupSeconds + window.durationSeconds + 60) * 1000);
  await child.exited;
  return JSON.parse(line) as LoadResult;
}

async function benchGateway(run: GatewayRun, extraNodeArgs: string[] = []): Promise<GatewayResult> {
  log(`${run.label}: starting`);
  const gateway = startNode([...extraNodeArgs, ...run.args], { cwd: root, env: run.env });
  const memory = sampleRss(gateway.pid);
  try {
    await waitUntilServing(gatewayUrl, gateway);
    log(`${run.label}: serving; checking its answer, then ${load.warmupSeconds}s warm-up + ${load.durationSeconds}s measured`);
    const result = await runLoad(run.authorization);
    const peakRssMb = memory.stop();
    if (!result.correct) log(`${run.label}: WRONG ANSWER: ${result.problem}`);
    else log(`${run.label}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.latencyMs.p99.toFixed(1)} ms, peak RSS ${peakRssMb} MB`);
    return { id: run.id, label: run.label, note: run.note, peakRssMb, load: result };
  } catch (error) {
    memory.stop();
    log(`${run.label}: FAILED: ${(error as Error).message}`);
    return { id: run.id, label: run.label, note: run.note, load: { correct: false, problem: (error as Error).message.split('\n')[0]! } };
  } finally {
    await gateway.stop();
  }
}

/**
 * What auth+limits cost: our router with them off and with them on, both running (on two ports),
 * loaded in turn in short windows (off, on, on, off, ...), so that whatever else slows the shared
 * machine for a while hits both alike. Throughput drifts by tens of percent between runs minutes
 * apart on two shared cores; adjacent windows compare like with like.
 */
async function measureAuthCost(off: GatewayRun, on: GatewayRun): Promise<AuthCost> {
  const urls = { off: gatewayUrl, on: `http://127.0.0.1:${pairPort}/graphql` };
  log(`auth+limits cost: both routers up and warmed, then ${pairs * 2} alternating windows of ${pairWindow.warmupSeconds}s warm-up + ${pairWindow.durationSeconds}s measured`);
  const gateways = {
    off: startNode(off.args, { cwd: root, env: off.env }),
    on: startNode(on.args, { cwd: root, env: { ...on.env, ROUTER_PORT: String(pairPort) } }),
  };
  try {
    await Promise.all([waitUntilServing(urls.off, gateways.off), waitUntilServing(urls.on, gateways.on)]);
    // Both warm (JIT, caches, pools) before any window counts.
    for (const which of ['off', 'on'] as const) await runLoad((which === 'on' ? on : off).authorization, urls[which], { ...pairWindow, durationSeconds: 1, warmupSeconds: load.warmupSeconds });
    const windows: AuthCost['windows'] = [];
    for (const which of alternatingOrder(pairs)) {
      const run = which === 'on' ? on : off;
      const cpuBefore = cpuSecondsOf(gateways[which].pid);
      const result = await runLoad(run.authorization, urls[which], pairWindow);
      const cpuSeconds = cpuSecondsOf(gateways[which].pid) - cpuBefore;
      if (!result.correct) throw new Error(`${run.label}: ${result.problem}`);
      // The answer check, warm-up and measured requests all ran in that CPU time.
      const answered = 1 + result.warmupRequests + result.requests;
      windows.push({ which, requests: result.requests, seconds: result.seconds, cpuSeconds, answered });
      log(`  ${which === 'on' ? 'on ' : 'off'}: ${(result.requests / result.seconds).toFixed(0)} req/s, ${((cpuSeconds / answered) * 1e6).toFixed(0)} µs CPU per request`);
    }
    return summarizeAuthCost(windows);
  } finally {
    await Promise.all([gateways.off.stop(), gateways.on.stop()]);
  }
}

/** BENCH_PROFILE=1: our router once more under the same load with --cpu-prof, summarized. */
async function profileRouter(run: GatewayRun, stamp: string): Promise<string> {
  const before = new Set(readdirSync(resultsDir));
  await benchGateway({ ...run, label: `${run.label} (profiling)` }, ['--cpu-prof', '--cpu-prof-dir', resultsDir]);
  // One profile per thread (tsx's loader has its own); the main thread's is the largest.
  const profile = readdirSync(resultsDir)
    .filter((file) => file.endsWith('.cpuprofile') && !before.has(file))
    .sort((a, b) => statSync(path.join(resultsDir, b)).size - statSync(path.join(resultsDir, a)).size)[0];
  if (!profile) throw new Error('the router wrote no CPU profile');
  const summaryFile = path.join(resultsDir, `router-profile-${stamp}.txt`);
  const profilePath = path.join(resultsDir, profile);
  const authShare = inclusiveShare(profilePath, AUTH_AND_LIMITS_FILES);
  const authLine = `auth+limits code (${AUTH_AND_LIMITS_FILES.join(', ')}), callees included: ${(authShare * 100).toFixed(1)}% of busy time`;
  log(authLine);
  writeFileSync(summaryFile, `${run.label}, ${load.connections} connections\n${authLine}\n${topSelfTime(profilePath, root)}\n`);
  return summaryFile;
}

function updateReadme(results: string, stamp: string): void {
  const readme = path.join(root, 'bench/README.md');
  const text = readFileSync(readme, 'utf8');
  const setup = `${cpus().length} cores, ${load.connections} connections, ${rounds} alternating round(s) of ${load.warmupSeconds} s warm-up + ${load.durationSeconds} s measured, the median round shown`;
  const section = `<!-- results:start -->\nLatest run: ${stamp} UTC, ${setup} (\`bench/results/latest.json\`).\n\n${results}\n<!-- results:end -->`;
  writeFileSync(readme, text.replace(/<!-- results:start -->[\s\S]*<!-- results:end -->/, () => section));
}

async function main(): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  const loadAverageAtStart = loadavg();
  const subgraphs = startNode(['--import', 'tsx', path.join(root, 'bench/subgraphs/serve.ts')], { cwd: root, env: {} });
  const issuer = await startTokenIssuer(load.connections);
  try {
    const { urls } = JSON.parse(await waitForLine(subgraphs, (line) => line.includes('"ready"'))) as { urls: Record<string, string> };
    log(`subgraphs up, each behind a replay cache: ${Object.values(urls).join(' ')}`);
    const supergraphFile = composeBenchSupergraph(urls);
    log(`composed ${path.relative(root, supergraphFile)}`);

    const only = env.BENCH_ONLY?.split(',').filter(Boolean);
    const runs = gatewayRuns({ root, port, supergraphFile, jwksUrl: issuer.jwksUrl, token: issuer.token, userTokens: issuer.userTokens, redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' });
    const chosen = runs.filter((run) => !only || only.includes(run.id));
    const pairSeconds = pairs * 2 * (pairWindow.warmupSeconds + pairWindow.durationSeconds + 2);
    log(`${chosen.length} gateways, ${rounds} round(s), ~${Math.ceil((rounds * chosen.length * (load.warmupSeconds + load.durationSeconds + 8) + pairSeconds) / 60)} min`);

    // Alternating rounds: a gateway's median round stands for it, so a slow or fast spell of the
    // machine during one gateway's window does not decide a ratio.
    const roundsOf = new Map<string, GatewayResult[]>(chosen.map((run) => [run.id, []]));
    for (let round = 1; round <= rounds; round++) {
      if (rounds > 1) log(`round ${round} of ${rounds}`);
      for (const run of chosen) roundsOf.get(run.id)!.push(await benchGateway(run));
    }
    const results = chosen.map((run) => medianRound(roundsOf.get(run.id)!));
    const [routerOff, routerOn] = ['builderai-router-off', 'builderai-router-on'].map((id) => chosen.find((run) => run.id === id));
    const authCost = routerOff && routerOn && pairs > 0 ? await measureAuthCost(routerOff, routerOn) : undefined;

    const cache = Object.fromEntries(
      await Promise.all(Object.entries(urls).map(async ([name, url]) => [name, await (await fetch(new URL('/stats', url))).json()])),
    );
    const stamp = new Date().toISOString().replace(/\..*$/, '').replace(/:/g, '-');
    const costLine = authCost && `Auth+limits cost ${authCost.summary}`;
    const perRound = roundsLine(results);
    console.log(`\n${textTable(results)}\n${notes(results).map((note) => `  ${note}`).join('\n')}\n${perRound ? `\n${perRound}\n` : ''}${costLine ? `\n${costLine}\n` : ''}`);

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAverageAtStart },
      load: { tool: 'autocannon', ...load, rounds },
      subgraphs: {
        note: 'Each subgraph sits behind a replay cache: the first answer to a request body is computed by the real subgraph (Apollo Server + @apollo/subgraph), later ones are replayed from memory, so the subgraphs cost little CPU next to the gateway under test.',
        cache,
      },
      gateways: results.map((result) => ({ ...result, ...ratios(results, result) })),
      authCost,
    };
    for (const file of [`router-${stamp}.json`, 'latest.json']) writeFileSync(path.join(resultsDir, file), `${JSON.stringify(report, null, 2)}\n`);
    if (!only) updateReadme(`${markdownTable(results)}\n\n${notes(results).map((note) => `- ${note}`).join('\n')}${perRound ? `\n\n${perRound}` : ''}${costLine ? `\n\n${costLine}` : ''}`, stamp);
    log(`wrote bench/results/router-${stamp}.json and latest.json`);

    if (env.BENCH_PROFILE === '1') {
      const routerRun = runs.find((run) => run.id === (env.BENCH_PROFILE_ID ?? 'builderai-router-on'))!;
      log(`profile summary: ${path.relative(root, await profileRouter(routerRun, stamp))}`);
    }
    if (results.some((result) => !result.load.correct)) process.exitCode = 1;
  } finally {
    await subgraphs.stop();
    await issuer.close();
    log('done');
  }
}

try {
  await main();
} catch (error) {
  console.error(`bench:router failed: ${(error as Error).message}`);
  process.exitCode = 1;
}

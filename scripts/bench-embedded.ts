// `npm run bench:embedded`: what embedded mode costs a laptop. Starts `npm start`'s platform
// with nothing configured on a fresh data folder (cold) and again on the same folder (warm),
// timing each until "BuilderAI is up" and reading the idle resident memory of its processes;
// then the embedded Postgres alone with 4 and 13 service schemas, for the cost of one more service.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNode, waitForLine } from '../bench/child.js';
import { treeRssMb } from '../bench/rss.js';
import { REPO_ROOT } from '../packages/kit/src/services.js';
import { listSubgraphs } from '../packages/kit/src/subgraph-list.js';

const IDLE_MS = Number(process.env.BENCH_IDLE_S ?? 20) * 1000;
const BASE_PORT = Number(process.env.BENCH_PORT ?? 5400);
const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Nothing configured (empty counts as unset): no database, Redis or broker; ports of their own
// beside a running platform.
function platformEnv(dataDir: string): Record<string, string> {
  const env: Record<string, string> = { DATABASE_URL: '', REDIS_URL: '', AMQP_URL: '', EMBEDDED_DATA_DIR: dataDir, ROUTER_PORT: String(BASE_PORT), LOG_LEVEL: 'warn' };
  listSubgraphs().forEach(({ name }, i) => (env[`${name.toUpperCase()}_PORT`] = String(BASE_PORT + 1 + i)));
  return env;
}

async function startPlatform(label: string, dataDir: string): Promise<{ seconds: number; rssMb: number }> {
  const started = Date.now();
  const child = startNode(['--import', 'tsx', 'scripts/start.ts'], { cwd: REPO_ROOT, env: platformEnv(dataDir) });
  try {
    await waitForLine(child, (line) => line.includes('BuilderAI is up'), 180_000);
    const seconds = (Date.now() - started) / 1000;
    log(`${label}: up in ${seconds.toFixed(1)} s; idle for ${IDLE_MS / 1000} s ...`);
    await sleep(IDLE_MS);
    const rssMb = treeRssMb(child.pid);
    log(`${label}: idle RSS ${rssMb} MB`);
    return { seconds, rssMb };
  } finally {
    await child.stop();
  }
}

async function schemasRss(count: number): Promise<number> {
  const child = startNode(['--import', 'tsx', '--expose-gc', 'bench/embedded/schemas.ts', String(count)], { cwd: REPO_ROOT, env: {} });
  const line = await waitForLine(child, (text) => text.startsWith('{'), 120_000);
  await child.exited;
  return (JSON.parse(line) as { rssMb: number }).rssMb;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bai-bench-embedded-'));
try {
  log(`[1/4] cold start of the platform (${listSubgraphs().length} services) on a fresh data folder`);
  const cold = await startPlatform('cold', dataDir);
  log('[2/4] warm start on the same folder');
  const warm = await startPlatform('warm', dataDir);
  log('[3/4] embedded Postgres alone, 4 service schemas');
  const four = await schemasRss(4);
  log('[4/4] embedded Postgres alone, 13 service schemas');
  const thirteen = await schemasRss(13);
  const perService = (thirteen - four) / 9;
  console.log('\n| measure | figure |\n|---|---:|');
  console.log(`| cold start, fresh data folder (s) | ${cold.seconds.toFixed(1)} |`);
  console.log(`| idle RSS after a cold start (MB) | ${cold.rssMb} |`);
  console.log(`| warm start (s) | ${warm.seconds.toFixed(1)} |`);
  console.log(`| idle RSS after a warm start (MB) | ${warm.rssMb} |`);
  console.log(`| embedded Postgres, 4 / 13 schemas (MB) | ${four} / ${thirteen} |`);
  console.log(`| one more service's schema (MB) | ${perService.toFixed(1)} |`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

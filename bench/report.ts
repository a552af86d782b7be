// The results table: one row per gateway, throughput ratios to the plain @apollo/gateway and to
// Hive Gateway --jit, as aligned text for the terminal and as Markdown for bench/README.md
// (alignedTable and markdownOf serve the other benchmarks' tables too).
import type { LoadResult } from './load-result.js';

export interface GatewayResult {
  id: string;
  label: string;
  note?: string;
  peakRssMb?: number;
  load: LoadResult | { correct: false; problem: string };
  /** Requests per second of each round, when the gateways ran in several alternating rounds. */
  rounds?: number[];
}

/**
 * One gateway's rounds as one result: the round with the median throughput (its latencies and
 * memory with it), every round's throughput beside it. A round with a wrong answer or a failed
 * start is the result: a gateway is correct in every round or not at all.
 */
export function medianRound(rounds: GatewayResult[]): GatewayResult {
  const failed = rounds.find((round) => !round.load.correct);
  if (failed) return failed;
  const rps = (round: GatewayResult) => (round.load as Extract<LoadResult, { correct: true }>).requestsPerSecond;
  const sorted = [...rounds].sort((a, b) => rps(a) - rps(b));
  return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, rounds: rounds.map(rps) };
}

export interface Row {
  gateway: string;
  rps: string;
  p50: string;
  p95: string;
  p99: string;
  rss: string;
  vsApollo: string;
  vsHive: string;
  problems: string;
}

const HEADERS: Row = {
  gateway: 'gateway',
  rps: 'req/s',
  p50: 'p50 ms',
  p95: 'p95 ms',
  p99: 'p99 ms',
  rss: 'peak RSS MB',
  vsApollo: 'vs @apollo/gateway',
  vsHive: 'vs Hive --jit',
  problems: 'non-2xx / errors / mismatches',
};

export const BASELINE_ID = 'apollo-gateway';
export const HIVE_ID = 'hive-gateway-jit';

const rpsOf = (result: GatewayResult | undefined) => (result?.load.correct ? result.load.requestsPerSecond : undefined);

export function ratios(results: GatewayResult[], result: GatewayResult) {
  const own = rpsOf(result);
  const [apollo, hive] = [rpsOf(results.find((r) => r.id === BASELINE_ID)), rpsOf(results.find((r) => r.id === HIVE_ID))];
  return {
    vsApolloGateway: own && apollo ? own / apollo : undefined,
    vsHiveGatewayJit: own && hive ? own / hive : undefined,
  };
}

export function rows(results: GatewayResult[]): Row[] {
  const times = (ratio: number | undefined) => (ratio === undefined ? '-' : `${ratio.toFixed(2)}x`);
  return results.map((result) => {
    const { load } = result;
    if (!load.correct) {
      return { gateway: result.label, rps: 'FAILED', p50: '-', p95: '-', p99: '-', rss: String(result.peakRssMb ?? '-'), vsApollo: '-', vsHive: '-', problems: load.problem };
    }
    const { vsApolloGateway, vsHiveGatewayJit } = ratios(results, result);
    return {
      gateway: result.label,
      rps: load.requestsPerSecond.toFixed(0),
      p50: load.latencyMs.p50.toFixed(1),
      p95: load.latencyMs.p95.toFixed(1),
      p99: load.latencyMs.p99.toFixed(1),
      rss: String(result.peakRssMb ?? '-'),
      vsApollo: times(vsApolloGateway),
      vsHive: times(vsHiveGatewayJit),
      problems: `${load.non2xx} / ${load.errors} / ${load.mismatches}`,
    };
  });
}

/** Aligned text for the terminal: the first column left, the others right. */
export function alignedTable<K extends string>(headers: Record<K, string>, body: Array<Record<K, string>>): string {
  const all = [headers, ...body];
  const keys = Object.keys(headers) as K[];
  const widths = keys.map((key) => Math.max(...all.map((row) => row[key].length)));
  const line = (row: Record<K, string>) => keys.map((key, i) => (i === 0 ? row[key].padEnd(widths[i]!) : row[key].padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}

/** A Markdown table: the first column left-aligned, the others right. */
export function markdownOf<K extends string>(headers: Record<K, string>, body: Array<Record<K, string>>): string {
  const keys = Object.keys(headers) as K[];
  const line = (row: Record<K, string>) => `| ${keys.map((key) => row[key]).join(' | ')} |`;
  return [line(headers), `|${keys.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...body.map(line)].join('\n');
}

export const textTable = (results: GatewayResult[]): string => alignedTable(HEADERS, rows(results));

export const markdownTable = (results: GatewayResult[]): string => markdownOf(HEADERS, rows(results));

/** How each gateway was set up, where the label alone does not say. */
export const notes = (results: GatewayResult[]) => results.filter((result) => result.note).map((result) => `${result.label}: ${result.note}`);

/** Each gateway's throughput in each round, when there was more than one. */
export const roundsLine = (results: GatewayResult[]): string | undefined =>
  results.some((result) => (result.rounds?.length ?? 0) > 1)
    ? `Req/s in each round (the table shows each gateway's median round): ${results.map((result) => `${result.label} ${result.rounds?.map((rps) => rps.toFixed(0)).join(' / ') ?? '-'}`).join('; ')}.`
    : undefined;

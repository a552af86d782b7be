// The benchmark's rounds: each gateway stands as its median round, and a wrong answer in any
// round fails it.
import { medianRound, roundsLine, type GatewayResult } from '../../bench/report.js';

const round = (requestsPerSecond: number, p99: number): GatewayResult => ({
  id: 'g',
  label: 'gateway',
  peakRssMb: 100 + requestsPerSecond,
  load: { correct: true, responseBytes: 1, requests: requestsPerSecond, seconds: 1, warmupRequests: 1, requestsPerSecond, latencyMs: { p50: 1, p95: 2, p99 }, non2xx: 0, errors: 0, mismatches: 0, warmupProblems: 0 } as never,
});

test('the median round stands for the gateway, with its latencies and memory, beside every round', () => {
  const result = medianRound([round(300, 9), round(250, 12), round(340, 7)]);
  expect(result.load).toMatchObject({ requestsPerSecond: 300, latencyMs: { p99: 9 } });
  expect(result.peakRssMb).toBe(400);
  expect(result.rounds).toEqual([300, 250, 340]);
  // With an even count, the lower of the two middle rounds.
  expect((medianRound([round(300, 9), round(250, 12)]).load as { requestsPerSecond: number }).requestsPerSecond).toBe(250);
  expect(roundsLine([result])).toBe("Req/s in each round (the table shows each gateway's median round): gateway 300 / 250 / 340.");
});

test('a wrong answer in any round fails the gateway', () => {
  const wrong: GatewayResult = { id: 'g', label: 'gateway', load: { correct: false, problem: 'HTTP 200; $.data: differs' } };
  expect(medianRound([round(300, 9), wrong, round(340, 7)])).toBe(wrong);
  expect(roundsLine([round(300, 9)])).toBeUndefined();
});

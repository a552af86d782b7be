// What auth+limits cost our router: windows of load taken in turn against the router with them
// off and on (off, on, on, off, ...), so that slow drifts of the machine weigh on both alike.
// Two figures: throughput, and the router's own CPU time per request. With 50 connections
// sharing executions, throughput depends on how requests happen to batch and swings by ±20%
// between two windows of the same router; CPU time per request is what the checks add.
export type Side = 'off' | 'on';

export interface AuthCostWindow {
  which: Side;
  /** Requests and seconds of the measured window. */
  requests: number;
  seconds: number;
  /** The router's CPU time over the whole window (answer check, warm-up, measured). */
  cpuSeconds: number;
  /** Requests the router answered in that time. */
  answered: number;
}

export interface AuthCost {
  windows: AuthCostWindow[];
  requestsPerSecond: Record<Side, number>;
  cpuMicrosecondsPerRequest: Record<Side, number>;
  /** 1 - on/off throughput over all windows. */
  throughputCost: number;
  /** on/off - 1 of CPU time per request: the share of the router's work auth+limits add. */
  cpuCost: number;
  summary: string;
}

/** off, on, on, off, off, on, ...: each side first as often as the other. */
export function alternatingOrder(pairs: number): Side[] {
  return Array.from({ length: pairs }, (_, i): Side[] => (i % 2 === 0 ? ['off', 'on'] : ['on', 'off'])).flat();
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

export function summarizeAuthCost(windows: AuthCostWindow[]): AuthCost {
  const of = (which: Side) => windows.filter((window) => window.which === which);
  const rate = (which: Side) => sum(of(which).map((w) => w.requests)) / sum(of(which).map((w) => w.seconds));
  const cpu = (which: Side) => (sum(of(which).map((w) => w.cpuSeconds)) / sum(of(which).map((w) => w.answered))) * 1e6;
  const requestsPerSecond = { off: rate('off'), on: rate('on') };
  const cpuMicrosecondsPerRequest = { off: cpu('off'), on: cpu('on') };
  const throughputCost = 1 - requestsPerSecond.on / requestsPerSecond.off;
  const cpuCost = cpuMicrosecondsPerRequest.on / cpuMicrosecondsPerRequest.off - 1;
  const summary =
    `${percent(cpuCost)} more router CPU per request (${cpuMicrosecondsPerRequest.on.toFixed(0)} µs on vs ${cpuMicrosecondsPerRequest.off.toFixed(0)} µs off); ` +
    `throughput ${requestsPerSecond.on.toFixed(0)} req/s on vs ${requestsPerSecond.off.toFixed(0)} off (${percent(throughputCost)}), ` +
    `over ${windows.length} alternating windows.`;
  return { windows, requestsPerSecond, cpuMicrosecondsPerRequest, throughputCost, cpuCost, summary };
}

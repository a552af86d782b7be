// /health/live says the process answers; /health/ready says its dependencies do.
import type { RouteHandler } from './http.js';
import { sendJson } from './http.js';
import { withinMs } from './deadline.js';

export type ReadinessCheck = () => Promise<unknown>;

const CHECK_TIMEOUT_MS = 2000;

export async function runChecks(checks: Record<string, ReadinessCheck>) {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withinMs(check(), CHECK_TIMEOUT_MS, name);
        return [name, { status: 'up' }] as const;
      } catch (error) {
        return [name, { status: 'down', error: (error as Error).message }] as const;
      }
    }),
  );
  const ready = entries.every(([, result]) => result.status === 'up');
  return { status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(entries) };
}

export function healthRoutes(service: string, checks: Record<string, ReadinessCheck>): Record<string, RouteHandler> {
  return {
    '/health/live': (_req, res) => sendJson(res, 200, { status: 'live', service }),
    '/health/ready': async (_req, res) => {
      const report = await runChecks(checks);
      sendJson(res, report.status === 'ready' ? 200 : 503, { service, ...report });
    },
  };
}

// /health/live says the process answers and is not stuck (liveness.ts); /health/ready says its
// dependencies answer.
import type { RouteHandler } from './http.js';
import { sendJson } from './http.js';
import { withinMs } from './deadline.js';
import type { Liveness } from './liveness.js';

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

export function healthRoutes(service: string, checks: Record<string, ReadinessCheck>, liveness?: Liveness): Record<string, RouteHandler> {
  return {
    '/health/live': (_req, res) => {
      const report = liveness?.report() ?? { live: true };
      sendJson(res, report.live ? 200 : 503, report.live ? { status: 'live', service } : { status: 'stuck', service });
    },
    '/health/ready': async (_req, res) => {
      const report = await runChecks(checks);
      sendJson(res, report.status === 'ready' ? 200 : 503, { service, ...report });
    },
  };
}

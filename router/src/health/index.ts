// /health/live: the router answers. /health/ready: its infrastructure and every subgraph's own
// /health/ready answer. /health: both in one document, for humans and simple probes.
import { healthRoutes, runChecks, sendJson, type Liveness, type ReadinessCheck, type RouteHandler } from '@builderai/kit';
import type { SubgraphUrls } from '../subgraphs.js';

export interface HealthOptions {
  subgraphUrls: SubgraphUrls;
  /** The infrastructure's own checks (Redis, RabbitMQ when configured). */
  readiness: Record<string, ReadinessCheck>;
  /** Whether the router's own requests get answered. */
  liveness: Liveness;
}

export interface HealthFeature {
  routes: Record<string, RouteHandler>;
}

const SUBGRAPH_CHECK_TIMEOUT_MS = 2000;

function subgraphReady(graphqlUrl: string): ReadinessCheck {
  const readyUrl = new URL('/health/ready', graphqlUrl).href;
  return async () => {
    const response = await fetch(readyUrl, { signal: AbortSignal.timeout(SUBGRAPH_CHECK_TIMEOUT_MS) });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${readyUrl} answered HTTP ${response.status}`);
  };
}

export function healthFeature({ subgraphUrls, readiness, liveness }: HealthOptions): HealthFeature {
  const checks: Record<string, ReadinessCheck> = { ...readiness, requests: liveness.check };
  for (const [name, url] of Object.entries(subgraphUrls)) checks[`subgraph:${name}`] = subgraphReady(url);

  return {
    routes: {
      ...healthRoutes('router', checks, liveness),
      '/health': async (_req, res) => {
        const report = await runChecks(checks);
        sendJson(res, report.status === 'ready' ? 200 : 503, { service: 'router', live: true, ...report });
      },
    },
  };
}

// /metrics: the kit's operation metrics plus how long each subgraph takes to answer.
import type { ApolloServerPlugin } from '@apollo/server';
import { Histogram } from 'prom-client';
import { createMetrics, metricsPlugin, metricsRoute, type RouteHandler, type ServiceMetrics } from '@builderai/kit';
import type { RouterContext } from '../request-context.js';

export interface RouterMetrics extends ServiceMetrics {
  subgraphRequestDuration: Histogram<'subgraph' | 'outcome'>;
}

export interface MetricsFeature {
  /** What other features record into (subgraph-fetch times its requests). */
  instruments: RouterMetrics;
  /** Times and counts operations. */
  plugin: ApolloServerPlugin<RouterContext>;
  routes: Record<string, RouteHandler>;
}

export function metricsFeature(): MetricsFeature {
  const instruments = createRouterMetrics();
  return { instruments, plugin: metricsPlugin(instruments), routes: { '/metrics': metricsRoute(instruments) } };
}

function createRouterMetrics(): RouterMetrics {
  const metrics = createMetrics('router');
  return {
    ...metrics,
    subgraphRequestDuration: new Histogram({
      name: 'subgraph_request_duration_seconds',
      help: 'Duration of the router\'s requests to subgraphs',
      labelNames: ['subgraph', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [metrics.registry],
    }),
  };
}

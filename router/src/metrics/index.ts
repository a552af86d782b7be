// /metrics: the kit's operation metrics plus how long each subgraph takes to answer.
import type { ApolloServerPlugin } from '@apollo/server';
import { Gauge, Histogram } from 'prom-client';
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
  /** Reports the subscriptions open when /metrics is read. */
  observeSubscriptions(counts: () => { open: number; upstreams: number }): void;
}

export function metricsFeature(): MetricsFeature {
  const instruments = createRouterMetrics();
  return {
    instruments,
    plugin: metricsPlugin(instruments),
    routes: { '/metrics': metricsRoute(instruments) },
    observeSubscriptions(counts) {
      const registers = [instruments.registry];
      new Gauge({ name: 'subscriptions_open', help: "Clients' subscriptions open on this router", registers, collect() { this.set(counts().open); } });
      new Gauge({ name: 'subscriptions_upstream', help: 'Subscriptions held open at subgraphs (shared by identical client subscriptions)', registers, collect() { this.set(counts().upstreams); } });
    },
  };
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

// /metrics: the kit's operation metrics plus how long each subgraph takes to answer.
import { Histogram } from 'prom-client';
import { createMetrics, type ServiceMetrics } from '@builderai/kit';

export interface RouterMetrics extends ServiceMetrics {
  subgraphRequestDuration: Histogram<'subgraph' | 'outcome'>;
}

export function createRouterMetrics(): RouterMetrics {
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

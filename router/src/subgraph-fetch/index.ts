// How the router talks to subgraphs: one data source per subgraph (data-source.ts), at the URL
// the router resolved for it, all closed with the router. The trace context every fetch carries
// is minted per request (trace-context.ts).
import type { KeyObject } from 'node:crypto';
import type { ServiceEndpointDefinition } from '@apollo/gateway';
import type { Logger } from '@builderai/kit';
import type { RouterMetrics } from '../metrics/index.js';
import type { SubgraphUrls } from '../subgraphs.js';
import { SubgraphDataSource } from './data-source.js';

export { TRACEPARENT_HEADER, nextTraceparent } from './trace-context.js';

export interface SubgraphFetchOptions {
  /** Overrides the supergraph's routing URLs. */
  subgraphUrls: SubgraphUrls;
  /** Signs each request's identity for the subgraph it goes to. */
  identityPrivateKey: KeyObject;
  /** Keep-alive connections per subgraph. */
  connections: number;
  timeoutMs: number;
  logger: Logger;
  metrics: RouterMetrics;
}

export interface SubgraphFetchFeature {
  /** The gateway's `buildService`. */
  buildService(definition: ServiceEndpointDefinition): SubgraphDataSource;
  /** Every subgraph's data source by name, shared with the gateway (subscriptions' entity fetches). */
  serviceMap(): Record<string, SubgraphDataSource>;
  close(): Promise<void>;
}

export function subgraphFetchFeature({ subgraphUrls, ...options }: SubgraphFetchOptions): SubgraphFetchFeature {
  const dataSources: Record<string, SubgraphDataSource> = Object.create(null);
  const dataSourceOf = (name: string, url?: string) =>
    (dataSources[name] ??= new SubgraphDataSource({ ...options, name, url: subgraphUrls[name] ?? url! }));
  return {
    buildService: ({ name, url }) => dataSourceOf(name, url),
    serviceMap() {
      for (const name of Object.keys(subgraphUrls)) dataSourceOf(name);
      return dataSources;
    },
    async close() {
      await Promise.all(Object.values(dataSources).map((dataSource) => dataSource.close()));
    },
  };
}

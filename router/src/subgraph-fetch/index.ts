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
  close(): Promise<void>;
}

export function subgraphFetchFeature({ subgraphUrls, ...options }: SubgraphFetchOptions): SubgraphFetchFeature {
  const dataSources: SubgraphDataSource[] = [];
  return {
    buildService({ name, url }) {
      const dataSource = new SubgraphDataSource({ ...options, name, url: subgraphUrls[name] ?? url! });
      dataSources.push(dataSource);
      return dataSource;
    },
    async close() {
      await Promise.all(dataSources.map((dataSource) => dataSource.close()));
    },
  };
}

// Subscriptions through the router's one endpoint. @apollo/gateway does not execute them, so
// the router does: the owning subgraph serves the root field over graphql-ws, other subgraphs'
// fields are fetched for each event through the gateway's executor, and identical
// subscriptions share one upstream. Clients use graphql-ws (WebSocket on /graphql) or
// graphql-sse (POST /graphql with Accept: text/event-stream), with the same identity, rate and
// operation limits as queries.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { ServiceMap } from '@apollo/gateway';
import type { DocumentNode, OperationDefinitionNode, ValidationRule } from 'graphql';
import type { Identity, Logger } from '@builderai/kit';
import type { SubgraphUrls } from '../subgraphs.js';
import type { Admission } from '../rate-limits/leases.js';
import { unauthenticatedRequest } from '../identity/authenticate.js';
import { SubscriptionPlanner } from './plans.js';
import { SubscriptionService, type SubscriptionLimits } from './subscribe.js';
import { serveGraphQLWs } from './graphql-ws.js';
import { sseHandler, wantsEventStream } from './sse.js';

export { wantsEventStream };

export interface SubscriptionsOptions {
  supergraphSdl: string;
  subgraphUrls: SubgraphUrls;
  serviceMap: () => ServiceMap;
  identityPrivateKey: KeyObject;
  identity: {
    identify(req: IncomingMessage): Promise<Identity>;
    authenticate(authorization: string | undefined, ip: string): Promise<Identity>;
    checkSession(identity: Identity): Promise<void>;
    onSessionsRevoked(listener: (sessionIds: string[]) => void): () => void;
  };
  clientIp(req: IncomingMessage): string;
  /** Rate limits, when they are on. */
  rateLimits?: {
    admitIp(req: IncomingMessage): Promise<Admission>;
    admitOperation(identity: Identity, operation: OperationDefinitionNode, document: DocumentNode): Promise<void>;
  };
  validationRules: ValidationRule[];
  limits: SubscriptionLimits;
  maxBodyBytes: number;
  logger: Logger;
}

export interface SubscriptionsFeature {
  /** Serves graphql-ws on the server's `path`. */
  attach(server: Server, path: string): void;
  /** Answers a request that asked for an event stream (wantsEventStream). */
  sse(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Open client subscriptions and the upstream ones they share (metrics, tests). */
  counts(): { open: number; upstreams: number };
  close(): Promise<void>;
}

export function subscriptionsFeature(options: SubscriptionsOptions): SubscriptionsFeature {
  const { identity, logger } = options;
  const service = new SubscriptionService({
    planner: new SubscriptionPlanner(options.supergraphSdl),
    serviceMap: options.serviceMap,
    subgraphUrls: options.subgraphUrls,
    identityPrivateKey: options.identityPrivateKey,
    validationRules: options.validationRules,
    limits: options.limits,
    checkSession: identity.checkSession,
    admitOperation: options.rateLimits?.admitOperation,
    revokedError: () => unauthenticatedRequest('Session has been revoked'),
    logger,
  });
  const stopEnding = identity.onSessionsRevoked((sessionIds) => service.open.endSessions(sessionIds));
  const closers: Array<() => Promise<void>> = [async () => void stopEnding()];
  return {
    attach(server, path) {
      const ws = serveGraphQLWs({
        server,
        path,
        service,
        authenticate: identity.authenticate,
        clientIp: options.clientIp,
        admitIp: options.rateLimits?.admitIp,
        onSessionsRevoked: identity.onSessionsRevoked,
        maxPayload: options.maxBodyBytes,
        logger,
      });
      closers.push(ws.close);
    },
    sse: sseHandler({ service, identify: identity.identify, maxBodyBytes: options.maxBodyBytes, logger }),
    counts: () => ({ open: service.open.size, upstreams: service.shared.upstreams }),
    async close() {
      await Promise.all(closers.map((close) => close()));
      service.close();
    },
  };
}

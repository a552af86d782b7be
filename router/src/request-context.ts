// What the router knows about each request; built before the operation is parsed, so a bad
// token costs no parsing or planning.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER, requestIdOf, type Identity } from '@builderai/kit';
import { clientIpOf } from './client-ip.js';
import { TRACEPARENT_HEADER, nextTraceparent } from './trace-context.js';

export interface RouterContext {
  identity: Identity;
  requestId: string;
  /** Sent to every subgraph this request reaches. */
  traceparent: string;
  userAgent?: string;
  /** The identity header for subgraphs, signed on the first subgraph fetch and reused. */
  signedIdentity?: string;
}

export interface ContextOptions {
  authenticate(authorization: string | undefined, ip: string): Promise<Identity>;
  trustedProxies: number;
}

export function contextFactory({ authenticate, trustedProxies }: ContextOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<RouterContext> => {
    const requestId = requestIdOf(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    return {
      identity: await authenticate(req.headers.authorization, clientIpOf(req, trustedProxies)),
      requestId,
      traceparent: nextTraceparent(req.headers[TRACEPARENT_HEADER]),
      userAgent: req.headers['user-agent'],
    };
  };
}

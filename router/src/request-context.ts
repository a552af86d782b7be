// What the router knows about each request, shared by every feature; built before the operation
// is parsed, so a bad token costs no parsing or planning.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER, requestIdOf, type Identity } from '@builderai/kit';
import { TRACEPARENT_HEADER, nextTraceparent } from './subgraph-fetch/index.js';

export interface RouterContext {
  identity: Identity;
  requestId: string;
  /** Sent to every subgraph this request reaches. */
  traceparent: string;
  userAgent?: string;
  /** The identity as signed for each subgraph this request reaches. */
  signedIdentities?: Record<string, string>;
}

export interface ContextOptions {
  /** The identity feature's: who sent the request. */
  identify(req: IncomingMessage, listener: { acceptServiceTokens: boolean }): Promise<Identity>;
  /** True on the internal listener, where services call as the users they act for. */
  acceptServiceTokens: boolean;
}

export function contextFactory({ identify, acceptServiceTokens }: ContextOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<RouterContext> => {
    const requestId = requestIdOf(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    return {
      identity: await identify(req, { acceptServiceTokens }),
      requestId,
      traceparent: nextTraceparent(req.headers[TRACEPARENT_HEADER]),
      userAgent: req.headers['user-agent'],
    };
  };
}

// Fixed-window rate limits in the shared store: per user when signed in, per IP otherwise
// (a lower limit), plus a strict per-IP window for operations that try credentials.
// Units are leased from the store in batches (leases.ts), so most requests are counted in
// memory. Runs once the operation is known (didResolveOperation).
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { ErrorCode, HttpError, appError, sendGraphQLError, type Identity, type KeyValueStore, type Logger } from '@builderai/kit';
import { createMemoryStore } from '@builderai/kit/store/memory-store';
import type { RouterContext } from '../request-context.js';
import { triesCredentials } from './credentials.js';
import { RateLimitLeases, type Admission } from './leases.js';
import { clientKeyOf } from './client-key.js';

export interface RateLimits {
  windowMs: number;
  /** Requests per window and IP without a user. */
  anonymous: number;
  /** Requests per window and user. */
  authenticated: number;
  /** Credential operations (login, register, password changes...) per window and IP, whoever calls. */
  credentials: number;
  /** Requests per window and IP counted before the body is even read, whoever calls. */
  perIp: number;
}

export interface RateLimitsOptions {
  store: KeyValueStore;
  limits: RateLimits;
  logger: Logger;
  /** The client's address as the identity feature sees it (behind trusted proxies). */
  clientIp(req: IncomingMessage): string;
}

export interface RateLimitsFeature {
  /** Refuses requests over a limit with HTTP 429 and Retry-After. */
  plugin: ApolloServerPlugin<RouterContext>;
  /** The per-IP window, before any parsing: false once it has answered 429. */
  before(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The per-IP window for a request answered some other way (a WebSocket upgrade). */
  admitIp(req: IncomingMessage): Promise<Admission>;
  /** Counts an operation in its caller's windows; throws RATE_LIMITED past one (subscriptions). */
  admitOperation(identity: Identity, operation: OperationDefinitionNode, document: DocumentNode): Promise<void>;
}

interface Window {
  key: string;
  limit: number;
}

export function rateLimitedError(retryAfterSeconds: number) {
  return appError(ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfterSeconds}s`, {
    retryAfter: retryAfterSeconds,
    http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
  });
}

export function rateLimitsFeature({ store, limits, logger, clientIp }: RateLimitsOptions): RateLimitsFeature {
  const leases = new RateLimitLeases(store, limits.windowMs);
  const local = createMemoryStore();
  const admitLocally = async ({ key, limit }: Window): Promise<Admission> => {
    const { count, resetMs } = await local.hit(key, limits.windowMs);
    return count <= limit ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: resetMs };
  };
  // An unreachable store must not take the API down, nor lift the limits: this instance counts
  // on its own until the store answers again.
  const admit = async (window: Window): Promise<Admission> => {
    try {
      return await leases.admit(window.key, window.limit);
    } catch (error) {
      logger.warn({ err: error }, 'rate limit store unavailable; limiting in this process');
      return admitLocally(window);
    }
  };
  async function admitOperation(identity: Identity, operation: OperationDefinitionNode | undefined, document: DocumentNode): Promise<void> {
    const { userId, ip } = identity;
    const windows: Window[] = [
      userId ? { key: `ratelimit:user:${userId}`, limit: limits.authenticated } : { key: `ratelimit:ip:${clientKeyOf(ip)}`, limit: limits.anonymous },
    ];
    if (operation && triesCredentials(operation, document)) windows.push({ key: `ratelimit:credentials:${clientKeyOf(ip)}`, limit: limits.credentials });

    const admissions = await Promise.all(windows.map(admit));
    const refused = admissions.filter((admission) => !admission.allowed);
    if (refused.length > 0) {
      const retryAfterMs = Math.max(...refused.map((admission) => admission.retryAfterMs));
      throw rateLimitedError(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    }
  }
  const listener: GraphQLRequestListener<RouterContext> = {
    didResolveOperation: ({ contextValue, operation, document }) => admitOperation(contextValue.identity, operation, document),
  };
  const admitIp = (req: IncomingMessage) => admit({ key: `ratelimit:raw-ip:${clientKeyOf(clientIp(req))}`, limit: limits.perIp });

  return {
    admitIp,
    admitOperation,
    // A flood costs one counter per request here, not a parse and a validation.
    async before(req, res) {
      const admission = await admitIp(req);
      if (admission.allowed) return true;
      const retryAfter = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
      sendGraphQLError(res, new HttpError(429, `Too many requests; retry in ${retryAfter}s`, ErrorCode.RATE_LIMITED), { 'retry-after': String(retryAfter) });
      return false;
    },
    plugin: {
      requestDidStart: async () => listener,
      serverWillStart: async () => ({ serverWillStop: async () => Promise.all([leases.close(), local.close()]).then(() => {}) }),
    },
  };
}

// Fixed-window rate limits in the shared store: per user when signed in, per IP otherwise
// (a lower limit), plus a strict per-IP window for operations that try credentials.
// Units are leased from the store in batches (rate-limit-leases.ts), so most requests are
// counted in memory. Runs once the operation is known (didResolveOperation).
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { ErrorCode, appError, type KeyValueStore, type Logger } from '@builderai/kit';
import type { RouterContext } from '../request-context.js';
import { RateLimitLeases, type Admission } from '../rate-limit-leases.js';

export interface RateLimits {
  windowMs: number;
  /** Requests per window and IP without a user. */
  anonymous: number;
  /** Requests per window and user. */
  authenticated: number;
  /** `login`/`register` operations per window and IP, whoever calls. */
  credentials: number;
}

/** Root mutation fields that try or create credentials. */
export const CREDENTIAL_FIELDS = new Set(['login', 'register']);

interface Window {
  key: string;
  limit: number;
}

function selectsField(selectionSet: SelectionSetNode, names: Set<string>, document: DocumentNode, seen = new Set<string>()): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return names.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsField(selection.selectionSet, names, document, seen);
    const name = selection.name.value;
    if (seen.has(name)) return false;
    seen.add(name);
    const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name);
    return fragment?.kind === Kind.FRAGMENT_DEFINITION && selectsField(fragment.selectionSet, names, document, seen);
  });
}

export const triesCredentials = (operation: OperationDefinitionNode, document: DocumentNode) =>
  operation.operation === 'mutation' && selectsField(operation.selectionSet, CREDENTIAL_FIELDS, document);

export function rateLimitedError(retryAfterSeconds: number) {
  return appError(ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfterSeconds}s`, {
    retryAfter: retryAfterSeconds,
    http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
  });
}

export function rateLimitPlugin(store: KeyValueStore, limits: RateLimits, logger: Logger): ApolloServerPlugin<RouterContext> {
  const leases = new RateLimitLeases(store, limits.windowMs);
  const listener: GraphQLRequestListener<RouterContext> = {
    async didResolveOperation({ contextValue, operation, document }) {
      const { userId, ip } = contextValue.identity;
      const windows: Window[] = [
        userId ? { key: `ratelimit:user:${userId}`, limit: limits.authenticated } : { key: `ratelimit:ip:${ip}`, limit: limits.anonymous },
      ];
      if (operation && triesCredentials(operation, document)) windows.push({ key: `ratelimit:credentials:${ip}`, limit: limits.credentials });

      let admissions: Admission[];
      try {
        admissions = await Promise.all(windows.map((window) => leases.admit(window.key, window.limit)));
      } catch (error) {
        // An unreachable store must not take the API down: serve unlimited and say so.
        logger.warn({ err: error }, 'rate limit store unavailable; request not limited');
        return;
      }
      const refused = admissions.filter((admission) => !admission.allowed);
      if (refused.length > 0) {
        const retryAfterMs = Math.max(...refused.map((admission) => admission.retryAfterMs));
        throw rateLimitedError(Math.max(1, Math.ceil(retryAfterMs / 1000)));
      }
    },
  };
  return {
    requestDidStart: async () => listener,
    serverWillStart: async () => ({ serverWillStop: async () => leases.close() }),
  };
}

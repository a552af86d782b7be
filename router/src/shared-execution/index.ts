// Shared execution: identical queries in flight at the same time are executed once, and their
// answer is serialized and encoded once (response-serializer.ts). A query that arrives while the
// same one is being executed for the same caller waits for that execution and gets its result.
// Every request still passes its own identity, revocation and rate-limit checks first: those
// run before execution.
//
// Same query means the same text (Apollo's hash of it), operation name and variables; same
// caller means the whole identity subgraphs receive (user, session, roles, IP, acting service),
// so an answer never crosses from one caller to another. Mutations and subscriptions always
// run on their own. What a waiting request does not send to subgraphs is its own request id,
// trace parent and user agent: the execution it joined carries the first request's.
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import type { RouterContext } from '../request-context.js';
import { InFlight } from './in-flight.js';
import { sharedResponseSerializer, type ResponseSerializer } from './response-serializer.js';

type Gateway = ApolloServerOptionsWithGateway<RouterContext>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
type ExecutionRequest = Parameters<Executor>[0];
type ExecutionResult = Awaited<ReturnType<Executor>>;

export interface SharedExecutionOptions {
  /** QUERY_DEDUP_ENABLED: share executions; answers are serialized once either way. */
  dedupe: boolean;
}

export interface SharedExecutionFeature extends ResponseSerializer {
  /** The gateway as Apollo Server should see it. */
  wrapGateway(gateway: Gateway): Gateway;
}

export function sharedExecutionFeature({ dedupe }: SharedExecutionOptions): SharedExecutionFeature {
  const { stringifyResult, encodeBody, dataFromText } = sharedResponseSerializer();
  return { wrapGateway: (gateway) => (dedupe ? withOperationDedup(gateway) : gateway), stringifyResult, encodeBody, dataFromText };
}

/** Everything an answer depends on; undefined for operations that must not be shared. */
export function sharedExecutionKey({ operation, queryHash, request, context }: ExecutionRequest): string | undefined {
  if (operation.operation !== 'query') return undefined;
  const { userId, sessionId, roles, ip, actingService } = (context as RouterContext).identity;
  return JSON.stringify([queryHash, request.operationName ?? null, request.variables ?? null, userId, sessionId, roles, ip, actingService]);
}

export function deduplicateExecutions(execute: Executor): Executor {
  const inFlight = new InFlight<ExecutionResult>();
  return (request) => {
    const key = sharedExecutionKey(request);
    return key === undefined ? execute(request) : inFlight.share(key, () => execute(request));
  };
}

/** The gateway with its executor wrapped by deduplicateExecutions. */
export function withOperationDedup(gateway: Gateway): Gateway {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(options) {
      const loaded = await gateway.load(options);
      return { ...loaded, executor: loaded.executor && deduplicateExecutions(loaded.executor) };
    },
  };
}

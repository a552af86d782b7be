// One client subscription, whatever carries it (graphql-ws or SSE): the same checks as a query
// (parse limits, validation with the operation limits, a revoked session, the caller's rate
// windows) plus the open-subscription limits, then the plan, and a place in the shared
// upstream subscription for that operation, variables and authorization.
import { randomUUID, type KeyObject } from 'node:crypto';
import type { ServiceMap } from '@apollo/gateway';
import {
  GraphQLError,
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { ErrorCode, appError, formatError, type Identity, type Logger } from '@builderai/kit';
import { nextTraceparent } from '../subgraph-fetch/index.js';
import type { SubgraphUrls } from '../subgraphs.js';
import type { RouterContext } from '../request-context.js';
import { eventResolver } from './event-results.js';
import { OpenSubscriptions } from './open-subscriptions.js';
import type { SubscriptionPlanner } from './plans.js';
import { ResultQueue } from './result-queue.js';
import { SharedSubscriptions } from './shared-subscriptions.js';
import { subscribeUpstream } from './upstream.js';

export interface SubscriptionLimits {
  /** Subscriptions one WebSocket may hold at once. */
  perConnection: number;
  /** Subscriptions one user (an IP without one) may hold at once on this instance. */
  perUser: number;
  /** Events waiting for a slow client before its subscription is ended. */
  maxQueued: number;
  maxTokens: number;
}

export interface SubscribeRequest {
  query: unknown;
  operationName?: unknown;
  variables?: unknown;
  identity: Identity;
  /** The client's connection (WebSocket) and how many subscriptions it holds. */
  connection?: { subscriptions: number };
}

/** Refused before it started: the errors, and the HTTP status an SSE request answers with. */
export interface Refusal {
  errors: GraphQLError[];
  status: number;
  headers?: Record<string, string>;
}

export interface SubscriptionServiceOptions {
  planner: SubscriptionPlanner;
  serviceMap: () => ServiceMap;
  subgraphUrls: SubgraphUrls;
  identityPrivateKey: KeyObject;
  validationRules: ValidationRule[];
  limits: SubscriptionLimits;
  checkSession(identity: Identity): Promise<void>;
  admitOperation?(identity: Identity, operation: OperationDefinitionNode, document: DocumentNode): Promise<void>;
  revokedError(): GraphQLError;
  logger: Logger;
}

/** Coded errors as they are, the rest masked: as over HTTP (the kit's formatError). */
export const formatGraphQLError = (error: GraphQLError) => formatError(error.toJSON(), error);
export const formatResult = (result: ExecutionResult) => (result.errors?.length ? { ...result, errors: result.errors.map(formatGraphQLError) } : undefined);

const badRequest = (message: string, code = 'BAD_REQUEST') => new GraphQLError(message, { extensions: { code } });

/** A coded error thrown by identity or rate limits, as a refusal with its HTTP status. */
export function refusalOf(error: unknown): Refusal {
  if (!(error instanceof GraphQLError)) throw error;
  const { http, ...extensions } = error.extensions as { http?: { status?: number; headers?: Map<string, string> } };
  const headers = http?.headers ? Object.fromEntries(http.headers) : undefined;
  return { errors: [new GraphQLError(error.message, { extensions })], status: http?.status ?? 400, headers };
}

export class SubscriptionService {
  readonly open: OpenSubscriptions;
  readonly shared: SharedSubscriptions;
  private readonly rules: ValidationRule[];

  constructor(private readonly options: SubscriptionServiceOptions) {
    this.rules = [...specifiedRules, ...options.validationRules];
    this.shared = new SharedSubscriptions(options.logger);
    this.open = new OpenSubscriptions({ maxPerUser: options.limits.perUser, checkSession: options.checkSession, revokedError: options.revokedError });
  }

  /** The client-facing schema. */
  get schema() {
    return this.options.planner.schema;
  }

  checkSession(identity: Identity): Promise<void> {
    return this.options.checkSession(identity);
  }

  async subscribe(request: SubscribeRequest): Promise<AsyncIterableIterator<ExecutionResult> | Refusal> {
    const { planner, limits } = this.options;
    const { identity, connection } = request;
    if (typeof request.query !== 'string' || request.query.length === 0) return { errors: [badRequest('The request has no query')], status: 400 };
    const query = request.query;
    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    if (request.variables != null && (typeof request.variables !== 'object' || Array.isArray(request.variables))) {
      return { errors: [badRequest('variables must be an object')], status: 400 };
    }

    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (error) {
      return { errors: [badRequest((error as Error).message, 'GRAPHQL_PARSE_FAILED')], status: 400 };
    }
    const invalid = validate(planner.schema, document, this.rules);
    if (invalid.length > 0) return { errors: invalid.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } })), status: 400 };
    const operation = getOperationAST(document, operationName);
    if (!operation) return { errors: [badRequest('The operation to run is not named, or not in the document', 'OPERATION_RESOLUTION_FAILURE')], status: 400 };
    if (operation.operation !== 'subscription') return { errors: [badRequest('Only subscriptions are served here; send queries and mutations over HTTP POST')], status: 400 };
    const coerced = getVariableValues(planner.schema, operation.variableDefinitions ?? [], (request.variables ?? {}) as Record<string, unknown>);
    if (coerced.errors) return { errors: coerced.errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: ErrorCode.BAD_USER_INPUT } })), status: 400 };

    try {
      await this.options.checkSession(identity);
      await this.options.admitOperation?.(identity, operation, document);
    } catch (error) {
      return refusalOf(error);
    }
    if (connection && connection.subscriptions >= limits.perConnection) {
      return { errors: [appError(ErrorCode.RATE_LIMITED, `A connection may hold ${limits.perConnection} subscriptions at once`)], status: 429 };
    }
    if (!this.open.canOpen(identity)) {
      return { errors: [appError(ErrorCode.RATE_LIMITED, `At most ${limits.perUser} subscriptions may be open at once`)], status: 429 };
    }

    const plan = planner.plan(query, document, operationName);
    const variables = coerced.coerced;
    const upstreamVariables = Object.fromEntries((plan.primary.variableUsages ?? []).filter((name) => name in variables).map((name) => [name, variables[name]]));
    // Authorization depends on the user and roles, not the session: a user's sessions share.
    const key = JSON.stringify([query, operationName ?? null, variables, identity.userId ?? null, [...identity.roles].sort(), identity.actingService ?? null]);

    if (connection) connection.subscriptions += 1;
    let leave = () => {};
    let remove = () => {};
    const queue = new ResultQueue(limits.maxQueued, () => appError(ErrorCode.RATE_LIMITED, 'The subscription fell too far behind its events and was ended; subscribe again (from your last cursor)'), () => {
      if (connection) connection.subscriptions -= 1;
      remove();
      leave();
    });
    remove = this.open.add(identity, (error) => queue.fail(error));
    leave = this.shared.join(key, queue, () => {
      const { serviceName } = plan.primary;
      const resolve = eventResolver(planner, plan, { query, document, operation, operationName, variables }, this.options.serviceMap(), this.options.logger);
      return {
        open: (handlers) =>
          subscribeUpstream(
            {
              subgraph: serviceName,
              url: this.options.subgraphUrls[serviceName]!,
              identity,
              identityPrivateKey: this.options.identityPrivateKey,
              query: plan.primary.operation,
              operationName: plan.primary.operationName,
              variables: upstreamVariables,
            },
            handlers,
          ),
        // Each event's fetches carry a request id (and so an identity signature) of their own.
        resolve: (event) => resolve(event, eventContext(identity)),
      };
    });
    return queue;
  }

  close(): void {
    this.open.close();
  }
}

const eventContext = (identity: Identity): RouterContext => ({ identity, requestId: randomUUID(), traceparent: nextTraceparent(undefined) });

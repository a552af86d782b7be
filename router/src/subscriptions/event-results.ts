// One event of a subscription made into the client's answer: the owning subgraph's event is the
// answer of the plan's primary fetch, and the rest of the plan (other subgraphs' fields, fetched
// by entity) runs through the router's plan executor, as queries do, which also shapes the result
// to the client's selection (aliases, fragments, null propagation, errors with paths).
import type { ServiceMap } from '@apollo/gateway';
import type { FetchNode, QueryPlan } from '@apollo/query-planner';
import type { DocumentNode, ExecutionResult, GraphQLFormattedError, OperationDefinitionNode } from 'graphql';
import type { Logger } from '@builderai/kit';
import type { RouterContext } from '../request-context.js';
import { runPlan } from '../plan-executor/executor.js';
import type { SubscriptionPlan, SubscriptionPlanner } from './plans.js';

/** What the owning subgraph sent for one event. */
export interface UpstreamEvent {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

// The primary fetch answered from memory, under a name no subgraph has (rest may fetch from the
// owning subgraph too).
const EVENT_SOURCE = '__subscription_event__';

export interface EventRequest {
  query: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

export type ResolveEvent = (event: UpstreamEvent, context: RouterContext) => Promise<ExecutionResult>;

export function eventResolver(planner: SubscriptionPlanner, plan: SubscriptionPlan, request: EventRequest, serviceMap: ServiceMap, logger: Logger): ResolveEvent {
  const primary: FetchNode = { ...plan.primary, serviceName: EVENT_SOURCE };
  const queryPlan: QueryPlan = { kind: 'QueryPlan', node: plan.rest ? { kind: 'Sequence', nodes: [primary, plan.rest] } : primary };
  const planned = { operation: plan.operation, plan: queryPlan, shape: plan.shape, unsupported: null };

  return async (event, context) => {
    const services: ServiceMap = { ...serviceMap, [EVENT_SOURCE]: { process: async () => ({ data: event.data, errors: event.errors as never }) } };
    const requestContext = {
      request: { query: request.query, operationName: request.operationName, variables: request.variables },
      context,
      logger,
      metrics: {},
      document: request.document,
      operation: request.operation,
      operationName: request.operationName ?? null,
    };
    const { data, errors } = await runPlan(requestContext as never, planned, planner.supergraphSchema, services);
    return errors?.length ? { data, errors } : { data };
  };
}

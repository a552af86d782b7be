// The router's executor of the gateway's work: the same steps as @apollo/gateway's own executor
// (the operation picked from the document, its variables checked, its plan, the plan run, the
// answer shaped), on plans and operations kept per query. What it does not run (introspection,
// @defer, @fromContext, a query-plan header, trace capture) goes to the gateway's executor.
import { getVariableValues } from 'graphql/execution/values.js';
import type { GraphQLSchema } from 'graphql';
import { GraphQLError } from 'graphql';
import { buildOperationContext, type GraphQLDataSource } from '@apollo/gateway';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import type { RouterContext } from '../request-context.js';
import { executeNode, type PlanRun } from './execute-plan.js';
import type { OperationPlans, PlannedOperation } from './operation-plans.js';
import type { AdaptiveAdmission } from './admission.js';
import type { Data } from './data-tree.js';
import { shapeAnswer } from './answer-shape.js';
import { writeAnswerText } from './answer-text.js';

type Gateway = ApolloServerOptionsWithGateway<RouterContext>['gateway'];
export type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
type ExecutionRequest = Parameters<Executor>[0];
type ExecutionResult = Awaited<ReturnType<Executor>>;

export interface PlanExecutorOptions {
  /** The API schema Apollo Server validates against, and the plans of the same supergraph. */
  current: () => { schema: GraphQLSchema; plans: OperationPlans };
  serviceMap: () => Record<string, GraphQLDataSource>;
  /** The gateway's own executor, for what this one does not run. */
  fallback: Executor;
  /** How many plans run at once (unbounded without). */
  admission?: AdaptiveAdmission;
  /** Makes `data` of an answer written as JSON text; without it answers are shaped as objects. */
  dataFromText?: (dataText: string) => Data;
}

export function createPlanExecutor({ current, serviceMap, fallback, admission, dataFromText }: PlanExecutorOptions): Executor {
  return async (requestContext: ExecutionRequest): Promise<ExecutionResult> => {
    const { request, document, queryHash } = requestContext;
    if ((requestContext.metrics as { captureTraces?: boolean } | undefined)?.captureTraces || request.http?.headers.get('apollo-query-plan-experimental')) return fallback(requestContext);
    const { schema, plans } = current();
    const operationContext = buildOperationContext({ schema, operationDocument: document, operationName: request.operationName });
    const definitions = operationContext.operation.variableDefinitions;
    if (definitions?.length) {
      const { errors } = getVariableValues(schema, definitions, request.variables ?? {});
      if (errors) return { errors };
    }
    const planned = plans.planned(document, request.operationName ?? undefined, queryHash);
    if (planned.unsupported) return fallback(requestContext);
    const run = () => runPlan(requestContext, planned, plans.supergraphSchema, serviceMap(), dataFromText);
    return admission ? admission.run(run) : run();
  };
}

/** Runs the plan into a data tree, then writes or shapes the answer as the gateway does (subscription events too). */
export async function runPlan(
  requestContext: ExecutionRequest,
  { operation, plan, shape }: PlannedOperation,
  supergraphSchema: GraphQLSchema,
  serviceMap: Record<string, GraphQLDataSource>,
  dataFromText?: PlanExecutorOptions['dataFromText'],
): Promise<ExecutionResult> {
  const tree: Data = Object.create(null);
  const run: PlanRun = {
    serviceMap,
    requestContext: requestContext as unknown as PlanRun['requestContext'],
    operation,
    supergraphSchema,
    errors: [],
    knownEntities: operation.rootKind === 'mutation' ? undefined : new Map(),
  };
  if (plan.node) await executeNode(run, plan.node as never, { path: [], data: tree, fullResult: tree });
  if (dataFromText && run.errors.length === 0) {
    const text = writeAnswerText(shape, requestContext.request.variables, tree);
    if (text !== undefined) return { data: dataFromText(text) };
  }
  try {
    // Introspection is handed back before this: nothing here asks for it.
    const { data, errors: completionErrors } = shapeAnswer(shape, requestContext.request.variables, tree, () => undefined);
    if (run.errors.length === 0) return completionErrors.length > 0 ? { extensions: { valueCompletion: completionErrors }, data } : { data };
    return { errors: run.errors as GraphQLError[], data };
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    if (error instanceof Error) return { errors: [new GraphQLError(error.message, { originalError: error })] };
    return { errors: [new GraphQLError('Unexpected error during query plan execution')] };
  }
}

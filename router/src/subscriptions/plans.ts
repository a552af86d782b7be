// Subscription plans from the supergraph: @apollo/query-planner plans a subscription as a
// `primary` fetch to the subgraph that owns the root field (held open there) and the `rest`,
// which fetches other subgraphs' fields for each event as in a query. Plans are kept per
// document and operation name, with the answer's shape compiled for the router's executor.
import { operationFromDocument, type Operation, type Schema } from '@apollo/federation-internals';
import type { FetchNode, PlanNode } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { compileAnswerShape, type AnswerShape } from '../plan-executor/answer-shape.js';
import { OperationPlans } from '../plan-executor/operation-plans.js';

export interface SubscriptionPlan {
  /** Sent to the owning subgraph once; its events are the primary fetch's answers. */
  primary: FetchNode;
  /** Run for each event (entity fetches to other subgraphs), if any. */
  rest?: PlanNode;
  operation: Operation;
  /** How each event's answer is shaped. */
  shape: AnswerShape;
}

const MAX_KEPT_PLANS = 1000;

export class SubscriptionPlanner {
  /** The client-facing schema operations are validated against. */
  readonly schema: GraphQLSchema;
  readonly apiSchema: Schema;
  readonly supergraphSchema: GraphQLSchema;
  private readonly supergraph: OperationPlans;
  private readonly plans = new Map<string, SubscriptionPlan>();

  constructor(supergraphSdl: string) {
    this.supergraph = new OperationPlans(supergraphSdl);
    this.apiSchema = this.supergraph.apiSchema;
    this.supergraphSchema = this.supergraph.supergraphSchema;
    this.schema = this.apiSchema.toGraphQLJSSchema();
  }

  /** The plan of a validated subscription operation. */
  plan(query: string, document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    const key = `${operationName ?? ''}\n${query}`;
    let plan = this.plans.get(key);
    if (!plan) {
      const operation = operationFromDocument(this.apiSchema, document, { operationName });
      const node = this.supergraph.planner.buildQueryPlan(operation).node;
      if (node?.kind !== 'Subscription') throw new Error('not a subscription plan');
      plan = { primary: node.primary, rest: node.rest, operation, shape: compileAnswerShape(operation) };
      if (this.plans.size >= MAX_KEPT_PLANS) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(key, plan);
    }
    return plan;
  }
}

// Subscription plans from the supergraph: @apollo/query-planner plans a subscription as a
// `primary` fetch to the subgraph that owns the root field (held open there) and the `rest`,
// which fetches other subgraphs' fields for each event as in a query. Plans are kept per
// document and operation name, with the answer's shape compiled for the router's executor.
import { Supergraph, operationFromDocument, type Operation, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { compileAnswerShape, type AnswerShape } from '../plan-executor/answer-shape.js';

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
  private readonly planner: QueryPlanner;
  private readonly plans = new Map<string, SubscriptionPlan>();

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
  }

  /** The plan of a validated subscription operation. */
  plan(query: string, document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    const key = `${operationName ?? ''}\n${query}`;
    let plan = this.plans.get(key);
    if (!plan) {
      const operation = operationFromDocument(this.apiSchema, document, { operationName });
      const node = this.planner.buildQueryPlan(operation).node;
      if (node?.kind !== 'Subscription') throw new Error('not a subscription plan');
      plan = { primary: node.primary, rest: node.rest, operation, shape: compileAnswerShape(operation) };
      if (this.plans.size >= MAX_KEPT_PLANS) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(key, plan);
    }
    return plan;
  }
}

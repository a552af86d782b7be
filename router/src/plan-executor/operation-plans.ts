// The supergraph as the executor needs it, and each operation's plan: built once per query
// (and operation name) with @apollo/query-planner, kept for the most recent operations, and
// rebuilt when the supergraph changes (a new OperationPlans).
import { Supergraph, operationFromDocument, type Operation, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { compileAnswerShape, type AnswerShape } from './answer-shape.js';

export interface PlannedOperation {
  operation: Operation;
  plan: QueryPlan;
  /** How the answer is shaped from the data tree, compiled once. */
  shape: AnswerShape;
  /** Why the gateway's own executor must run it (introspection, @defer, @fromContext), or null. */
  unsupported: string | null;
}

const MAX_KEPT = 2000;

function unsupportedNode(node: PlanNode | undefined): string | null {
  if (!node) return null;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) {
        const reason = unsupportedNode(child);
        if (reason) return reason;
      }
      return null;
    case 'Flatten':
      return unsupportedNode(node.node);
    case 'Condition':
      return unsupportedNode(node.ifClause) ?? unsupportedNode(node.elseClause);
    case 'Fetch':
      return node.contextRewrites?.length ? '@fromContext' : null;
    case 'Defer':
      return '@defer';
    default:
      // A kind of node this executor does not know is never guessed at.
      return `plan node ${(node as { kind: string }).kind}`;
  }
}

const hasIntrospection = (operation: Operation) => operation.selectionSet.selections().some((selection) => selection.kind === 'FieldSelection' && ['__schema', '__type'].includes(selection.element.name));

export class OperationPlans {
  readonly apiSchema: Schema;
  /** The whole supergraph, as graphql-js: what representations and rewrites are read against. */
  readonly supergraphSchema: GraphQLSchema;
  readonly planner: QueryPlanner;
  private readonly kept = new Map<string, PlannedOperation>();

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
  }

  /** The plan of a validated document's operation, keyed like the gateway's (query hash and operation name). */
  planned(document: DocumentNode, operationName: string | undefined, queryHash: string): PlannedOperation {
    const key = `${queryHash}\n${operationName ?? ''}`;
    let planned = this.kept.get(key);
    if (!planned) {
      const operation = operationFromDocument(this.apiSchema, document, { operationName });
      const plan = this.planner.buildQueryPlan(operation);
      const unsupported = plan.node?.kind === 'Subscription' ? 'subscription' : hasIntrospection(operation) ? 'introspection' : unsupportedNode(plan.node as PlanNode | undefined);
      planned = { operation, plan, shape: compileAnswerShape(operation), unsupported };
      if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
      this.kept.set(key, planned);
    }
    return planned;
  }
}

// Depth and cost limits (measure.ts) as a GraphQL validation rule: it runs before any query
// planning, and Apollo caches validated documents, so each distinct document is measured once.
import { GraphQLError, Kind, type FragmentDefinitionNode, type ValidationRule } from 'graphql';
import { measureOperation } from './measure.js';

export interface OperationLimits {
  maxDepth: number;
  maxCost: number;
}

export interface OperationLimitsFeature {
  /** Refuses, before planning, operations nested or costing over the limits. */
  validationRule: ValidationRule;
}

export function operationLimitsFeature(limits: OperationLimits): OperationLimitsFeature {
  return { validationRule: operationLimitsRule(limits) };
}

export function operationLimitsRule({ maxDepth, maxCost }: OperationLimits): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(operation) {
        const { depth, cost } = measureOperation(context.getSchema(), operation, fragments);
        const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`${name} is nested ${depth} levels deep; the limit is ${maxDepth}.`, {
              nodes: operation,
              extensions: { depth, maxDepth },
            }),
          );
        }
        if (cost > maxCost) {
          context.reportError(
            new GraphQLError(`${name} costs an estimated ${cost}; the limit is ${maxCost}. Ask for fewer or smaller pages.`, {
              nodes: operation,
              extensions: { cost, maxCost },
            }),
          );
        }
        return false;
      },
    };
  };
}

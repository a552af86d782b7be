// Depth, cost (measure.ts) and root-field limits (root-fields.ts) as a GraphQL validation rule:
// it runs before any query planning, and Apollo caches validated documents, so each distinct
// document is measured once.
import { GraphQLError, type ValidationRule } from 'graphql';
import { measureOperation } from './measure.js';
import { credentialFieldsOf, fragmentsOf, rootFieldsOf } from './root-fields.js';

export { CREDENTIAL_FIELDS, credentialFieldsOf, fragmentsOf, rootFieldsOf } from './root-fields.js';

export interface OperationLimits {
  maxDepth: number;
  maxCost: number;
  /** Root fields per operation, aliases counted: one request is this much work at most. */
  maxRootFields: number;
  /** Nesting of `__schema`/`__type` selections (the standard introspection query is 15 deep). */
  maxIntrospectionDepth: number;
  /** Aliased fields anywhere in the document: each alias asks for the same field again. */
  maxAliases: number;
}

export interface OperationLimitsFeature {
  /** Refuses, before planning, operations nested or costing over the limits. */
  validationRule: ValidationRule;
}

export function operationLimitsFeature(limits: OperationLimits): OperationLimitsFeature {
  return { validationRule: operationLimitsRule(limits) };
}

export function operationLimitsRule({ maxDepth, maxCost, maxRootFields, maxIntrospectionDepth, maxAliases }: OperationLimits): ValidationRule {
  return (context) => {
    const fragments = fragmentsOf(context.getDocument());
    let aliases = 0;
    return {
      Field(field) {
        if (field.alias && ++aliases === maxAliases + 1) {
          context.reportError(new GraphQLError(`The document has more than ${maxAliases} aliased fields.`, { nodes: field, extensions: { maxAliases } }));
        }
      },
      OperationDefinition(operation) {
        const { depth, cost, introspectionDepth } = measureOperation(context.getSchema(), operation, fragments);
        const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
        if (introspectionDepth > maxIntrospectionDepth) {
          context.reportError(
            new GraphQLError(`${name} introspects ${introspectionDepth} levels deep; the limit is ${maxIntrospectionDepth}.`, {
              nodes: operation,
              extensions: { introspectionDepth, maxIntrospectionDepth },
            }),
          );
        }
        const roots = rootFieldsOf(operation, fragments);
        const rootFields = roots.length;
        if (rootFields > maxRootFields) {
          context.reportError(
            new GraphQLError(`${name} selects ${rootFields} root fields; the limit is ${maxRootFields}.`, { nodes: operation, extensions: { rootFields, maxRootFields } }),
          );
        }
        // Each credential field is a password guess, an account or a mail: one per request.
        const credentials = credentialFieldsOf(operation, fragments, roots);
        if (credentials.length > 1) {
          context.reportError(
            new GraphQLError(`${name} holds ${credentials.length} sign-in or account fields (${[...new Set(credentials)].join(', ')}); send one per request.`, {
              nodes: operation,
              extensions: { credentialFields: credentials.length },
            }),
          );
        }
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
      },
    };
  };
}

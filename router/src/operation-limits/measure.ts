// How deep an operation is and what it costs. Depth counts nested fields (root fields are depth 1).
// Cost estimates how many fields get resolved: every field costs 1, and a list field multiplies
// its own and its subfields' cost by its page size (`first`, `last` or `limit`), or by
// ASSUMED_LIST_SIZE when none is given; a connection field's page size (`projects(first: 5)`)
// is the size of the lists directly inside it (`edges`, `nodes`). Fragments are expanded; `__typename` is a field like
// any other. Introspection (`__schema`, `__type`) is measured apart: only its depth, against a
// limit of its own (the Explorer's query is deeper than any operation of the API, and a
// crafted `ofType { ofType { ... } }` chain is no cheaper). Validation sees no variable values: a page size
// given by a variable counts as the variable's default, else ASSUMED_LIST_SIZE, so subgraphs
// must still cap the page sizes they accept.
import {
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export const ASSUMED_LIST_SIZE = 10;
const PAGE_SIZE_ARGUMENTS = new Set(['first', 'last', 'limit']);

export interface Measure {
  depth: number;
  cost: number;
  /** The deepest introspection (`__schema`, `__type`) selection, counted from the root. */
  introspectionDepth: number;
}

const NOTHING: Measure = { depth: 0, cost: 0, introspectionDepth: 0 };
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

class OperationMeter {
  /** A fragment measures the same wherever it is spread; memoizing keeps "fragment bombs" linear. */
  private readonly fragmentMeasures = new Map<string, Measure>();
  private readonly measuring = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variableDefaults: Map<string, ValueNode>,
  ) {}

  /** `page`: the page size of the connection this selection belongs to, if it gave one. */
  measure(selectionSet: SelectionSetNode, parentType: GraphQLCompositeType | undefined, page?: number): Measure {
    let depth = 0;
    let cost = 0;
    let introspectionDepth = 0;
    for (const selection of selectionSet.selections) {
      let part: Measure;
      if (selection.kind === Kind.FIELD) {
        part = this.measureField(selection, parentType, page);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        part = this.measure(selection.selectionSet, this.typeNamed(selection.typeCondition?.name.value) ?? parentType, page);
      } else {
        part = this.measureFragment(selection.name.value, page);
      }
      depth = Math.max(depth, part.depth);
      cost += part.cost;
      introspectionDepth = Math.max(introspectionDepth, part.introspectionDepth);
    }
    return { depth, cost, introspectionDepth };
  }

  private measureField(field: FieldNode, parentType: GraphQLCompositeType | undefined, connectionPage?: number): Measure {
    if (INTROSPECTION_ROOTS.has(field.name.value)) return { ...NOTHING, introspectionDepth: this.depthOf(field) };
    const definition: GraphQLField<unknown, unknown> | undefined =
      parentType && (isObjectType(parentType) || isInterfaceType(parentType)) ? parentType.getFields()[field.name.value] : undefined;
    const fieldType = definition && getNamedType(definition.type);
    const isList = definition !== undefined && isListType(getNullableType(definition.type));
    const page = this.pageSize(field);
    const below = field.selectionSet ? this.measure(field.selectionSet, isCompositeType(fieldType) ? fieldType : undefined, isList ? undefined : page) : NOTHING;
    const multiplier = isList ? (page ?? connectionPage ?? ASSUMED_LIST_SIZE) : 1;
    return { depth: 1 + below.depth, cost: multiplier * (1 + below.cost), introspectionDepth: below.introspectionDepth && 1 + below.introspectionDepth };
  }

  /** Nesting of a selection, fragments expanded (memoized, cycles left to graphql's own rules). */
  private depthOf(field: FieldNode, visiting = new Set<string>()): number {
    if (!field.selectionSet) return 1;
    let deepest = 0;
    const visit = (selectionSet: SelectionSetNode): void => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) deepest = Math.max(deepest, this.depthOf(selection, visiting));
        else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
        else if (!visiting.has(selection.name.value)) {
          const fragment = this.fragments.get(selection.name.value);
          if (!fragment) continue;
          visiting.add(selection.name.value);
          visit(fragment.selectionSet);
          visiting.delete(selection.name.value);
        }
      }
    };
    visit(field.selectionSet);
    return 1 + deepest;
  }

  private measureFragment(name: string, page?: number): Measure {
    const key = `${name}:${page ?? ''}`;
    const known = this.fragmentMeasures.get(key);
    if (known) return known;
    const fragment = this.fragments.get(name);
    // Unknown and cyclic fragments are reported by graphql's own rules.
    if (!fragment || this.measuring.has(name)) return NOTHING;
    this.measuring.add(name);
    const measured = this.measure(fragment.selectionSet, this.typeNamed(fragment.typeCondition.name.value), page);
    this.measuring.delete(name);
    this.fragmentMeasures.set(key, measured);
    return measured;
  }

  /** The page size the field asks for, if it says. */
  private pageSize(field: FieldNode): number | undefined {
    for (const argument of field.arguments ?? []) {
      if (!PAGE_SIZE_ARGUMENTS.has(argument.name.value)) continue;
      const value = argument.value.kind === Kind.VARIABLE ? this.variableDefaults.get(argument.value.name.value) : argument.value;
      if (value?.kind === Kind.INT) return Math.max(0, Number(value.value));
    }
    return undefined;
  }

  private typeNamed(name: string | undefined): GraphQLCompositeType | undefined {
    const type = name ? this.schema.getType(name) : undefined;
    return isCompositeType(type) ? type : undefined;
  }
}

export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
): Measure {
  const variableDefaults = new Map<string, ValueNode>();
  for (const variable of operation.variableDefinitions ?? []) {
    if (variable.defaultValue) variableDefaults.set(variable.variable.name.value, variable.defaultValue);
  }
  const rootType = schema.getRootType(operation.operation) ?? undefined;
  return new OperationMeter(schema, fragments, variableDefaults).measure(operation.selectionSet, rootType);
}

// The client's answer from the merged data tree, as @apollo/gateway's result shaping makes it
// (its computeResponse), from a form of the operation compiled once per plan: each selection's
// response name, type, @skip/@include and sub-selections read ahead of time instead of asked of
// the operation's objects for every value. Same order, aliases, __typename, fragments on
// abstract types, leaf checks, null propagation, and the same INVALID_GRAPHQL errors and
// assertion messages.
import {
  ERRORS,
  Variable,
  assert,
  isCompositeType,
  isCustomScalarType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isSubtype,
  typenameFieldName,
  type CompositeType,
  type NamedType,
  type Operation,
  type OutputType,
  type Schema,
  type SelectionSet,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

/** A @skip/@include argument: a literal, or the variable it reads. */
type Condition = boolean | { variable: string; printedDirective: string; printedVariable: string };

export interface ShapedField {
  kind: 'field';
  responseName: string;
  /** `"responseName":`, for writing the answer as text. */
  key: string;
  typename: boolean;
  introspection: boolean;
  type: OutputType;
  selection?: ShapedSelectionSet;
  skip?: Condition;
  include?: Condition;
  /** The FI selection, for introspection handling. */
  source: unknown;
  /** What answer-text.ts reads of `type`, made on first use. */
  written?: object;
}

export interface ShapedFragment {
  kind: 'fragment';
  typeCondition?: CompositeType;
  selection: ShapedSelectionSet;
  skip?: Condition;
  include?: Condition;
}

export type ShapedSelectionSet = Array<ShapedField | ShapedFragment>;

export interface AnswerShape {
  schema: Schema;
  root: ShapedSelectionSet;
  rootType: CompositeType;
  defaultedVariables: Record<string, unknown>;
  /** Whether no object of the answer can get the same response name twice (then it can be written as text in one pass). */
  writableAsText: boolean;
}

type Data = Record<string, unknown>;

function conditionOf(element: { appliedDirectivesOf(name: unknown): Array<{ arguments(): { if: unknown }; toString(): string }> }, directive: unknown): Condition | undefined {
  const applied = element.appliedDirectivesOf(directive)[0];
  if (!applied) return undefined;
  const argument = applied.arguments().if;
  if (argument instanceof Variable) return { variable: argument.name, printedDirective: String(applied), printedVariable: String(argument) };
  return argument as boolean;
}

function compile(selectionSet: SelectionSet, schema: Schema): ShapedSelectionSet {
  return selectionSet.selections().map((selection) => {
    const skip = conditionOf(selection.element as never, schema.skipDirective());
    const include = conditionOf(selection.element as never, schema.includeDirective());
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      return {
        kind: 'field' as const,
        responseName: field.responseName(),
        key: `${JSON.stringify(field.responseName())}:`,
        typename: field.name === typenameFieldName,
        introspection: field.definition.isSchemaIntrospectionField(),
        type: field.definition.type!,
        selection: selection.selectionSet ? compile(selection.selectionSet, schema) : undefined,
        skip,
        include,
        source: selection,
      };
    }
    return { kind: 'fragment' as const, typeCondition: selection.element.typeCondition, selection: compile(selection.selectionSet, schema), skip, include };
  });
}

/** The response names one object gets from a selection set, fragments included; false when one repeats. */
function namesOnce(selections: ShapedSelectionSet, seen = new Set<string>()): boolean {
  for (const selection of selections) {
    if (selection.kind === 'fragment') {
      if (!namesOnce(selection.selection, seen)) return false;
      continue;
    }
    if (seen.has(selection.responseName)) return false;
    seen.add(selection.responseName);
    if (selection.selection && !namesOnce(selection.selection)) return false;
  }
  return true;
}

export function compileAnswerShape(operation: Operation): AnswerShape {
  const schema = operation.schema();
  const root = compile(operation.selectionSet, schema);
  return {
    schema,
    root,
    writableAsText: namesOnce(root),
    rootType: schema.schemaDefinition.rootType(operation.rootKind)!,
    defaultedVariables: operation.collectDefaultedVariableValues(),
  };
}

interface Shaping {
  schema: Schema;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  introspection: (selection: unknown) => unknown;
}

const OK = 0;
const NULL_BUBBLE_UP = 1;

function conditionValue(condition: Condition, variables: Record<string, unknown>): boolean {
  if (typeof condition === 'boolean') return condition;
  const value = variables[condition.variable];
  assert(value !== undefined && typeof value === 'boolean', () => `Unexpected value ${value} for variable ${condition.printedVariable} of ${condition.printedDirective}`);
  return value;
}

export const skipped = (selection: ShapedField | ShapedFragment, variables: Record<string, unknown>) =>
  (selection.skip !== undefined && conditionValue(selection.skip, variables)) || (selection.include !== undefined && !conditionValue(selection.include, variables));

function description(path: (string | number)[], currentType: unknown, parentType: unknown): string {
  const element = path[path.length - 1];
  assert(element !== undefined, 'Should not have been called on an empty path');
  return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${currentType} at index ${element}`;
}

export function typeConditionApplies(schema: Schema, condition: CompositeType | undefined, typename: string | undefined, parentType: NamedType): boolean {
  if (!condition) return true;
  if (typename) {
    // A type is its own subtype: no lookup for the common case.
    if (typename === condition.name) return true;
    const type = schema.type(typename);
    return !!type && isSubtype(condition, type);
  }
  return condition === parentType || isSubtype(condition, parentType);
}

function applySelectionSet(input: Data, selections: ShapedSelectionSet, output: Data, shaping: Shaping, path: (string | number)[], parentType: NamedType): number {
  for (const selection of selections) {
    if ((selection.skip !== undefined || selection.include !== undefined) && skipped(selection, shaping.variables)) continue;
    if (selection.kind === 'field') {
      const { responseName } = selection;
      const outputValue = output[responseName];
      if (selection.introspection) {
        if (outputValue === undefined) output[responseName] = shaping.introspection(selection.source);
        continue;
      }
      let inputValue = (Object.hasOwn(input, responseName) ? input[responseName] : undefined) ?? null;
      if (selection.typename) {
        if (outputValue === undefined) {
          if (inputValue === null && responseName !== typenameFieldName) inputValue = input[typenameFieldName] ?? null;
          const type = inputValue !== null && typeof inputValue === 'string' ? (shaping.schema.type(inputValue) ?? parentType) : parentType;
          if (!isObjectType(type)) return NULL_BUBBLE_UP;
          output[responseName] = type.name;
        }
        continue;
      }
      path.push(responseName);
      const { updated, isInvalid } = updateOutputValue(outputValue, selection.type, inputValue, selection.selection, path, shaping, parentType);
      output[responseName] = updated;
      path.pop();
      if (isInvalid) return NULL_BUBBLE_UP;
    } else {
      const typename = input[typenameFieldName];
      assert(!typename || typeof typename === 'string', () => `Got unexpected value for __typename: ${typename}`);
      if (typeConditionApplies(shaping.schema, selection.typeCondition, typename as string | undefined, parentType)) {
        if (applySelectionSet(input, selection.selection, output, shaping, path, selection.typeCondition ?? parentType) === NULL_BUBBLE_UP) return NULL_BUBBLE_UP;
      }
    }
  }
  return OK;
}

interface Updated {
  updated: unknown;
  isInvalid?: boolean;
  hasErrors?: boolean;
}

const integerString = /^-?(?:0|[1-9][0-9]*)$/;

function isValidLeaf(schema: Schema, value: unknown, type: OutputType): boolean {
  if (isCustomScalarType(type as never)) return true;
  if (typeof value === 'boolean') return type === schema.booleanType();
  if (typeof value === 'number' && isFinite(value)) {
    if (type === schema.intType() || type === schema.idType()) return integerString.test(String(value));
    return type === schema.floatType();
  }
  if (typeof value === 'string') {
    if (isEnumType(type)) return type.value(value) !== undefined;
    return type !== schema.booleanType() && type !== schema.intType() && type !== schema.floatType();
  }
  return false;
}

function updateOutputValue(outputValue: unknown, type: OutputType, inputValue: unknown, selection: ShapedSelectionSet | undefined, path: (string | number)[], shaping: Shaping, parentType: NamedType): Updated {
  assert(inputValue !== undefined, 'Should not pass undefined for `inputValue` to this method');
  if (outputValue === null || (outputValue !== undefined && !selection)) return { updated: outputValue };
  if (isNonNullType(type)) {
    const { updated, hasErrors } = updateOutputValue(outputValue, type.ofType, inputValue, selection, path, shaping, parentType);
    if (updated === null) {
      if (!hasErrors) shaping.errors.push(ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${description(path, type.ofType, parentType)}.`, { path: Array.from(path) }));
      return { updated, isInvalid: true, hasErrors: true };
    }
    return { updated };
  }
  if (inputValue === null) return { updated: null };
  if (isListType(type)) {
    assert(Array.isArray(inputValue), () => `Invalid non-list value ${inputValue} returned by subgraph for list type ${type}`);
    assert(outputValue === undefined || Array.isArray(outputValue), () => `Invalid non-list value ${outputValue} returned by subgraph for list type ${type}`);
    const outputList = outputValue === undefined ? new Array((inputValue as unknown[]).length).fill(undefined) : (outputValue as unknown[]);
    assert((inputValue as unknown[]).length === outputList.length, () => `[${inputValue}].length (${(inputValue as unknown[]).length}) !== [${outputList}].length (${outputList.length})`);
    let shouldNullify = false;
    let hasErrors = false;
    const updated = outputList.map((outputElement, index) => {
      path.push(index);
      const element = updateOutputValue(outputElement, type.ofType, (inputValue as unknown[])[index], selection, path, shaping, parentType);
      path.pop();
      shouldNullify ||= !!element.isInvalid;
      hasErrors ||= !!element.hasErrors;
      return element.updated;
    });
    return { updated: shouldNullify ? null : updated, hasErrors };
  }
  if (isCompositeType(type)) {
    assert(selection, () => `Invalid empty selection set for composite type ${type}`);
    assert(typeof inputValue === 'object', () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${type}`);
    assert(outputValue === undefined || typeof outputValue === 'object', () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${type}`);
    const inputTypename = (inputValue as Data)[typenameFieldName];
    assert(inputTypename === undefined || typeof inputTypename === 'string', () => `Invalid non-string value ${inputTypename} for __typename at ${path}`);
    let objectType: NamedType = type;
    if (inputTypename) {
      const typenameType = shaping.schema.type(inputTypename as string);
      if (!typenameType || !isCompositeType(typenameType)) {
        shaping.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${description(path, type, parentType)}.`, { path: Array.from(path) }));
        return { updated: null, hasErrors: true };
      }
      objectType = typenameType;
    }
    const outputObject = (outputValue === undefined ? Object.create(null) : outputValue) as Data;
    const bubbled = applySelectionSet(inputValue as Data, selection!, outputObject, shaping, path, objectType) === NULL_BUBBLE_UP;
    return { updated: bubbled ? null : outputObject, hasErrors: bubbled };
  }
  assert(outputValue === undefined, () => `Excepted output to be undefined but got ${type} for type ${type}`);
  const valid = isValidLeaf(shaping.schema, inputValue, type);
  if (!valid) shaping.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${description(path, type, parentType)}.`, { path: Array.from(path) }));
  return { updated: valid ? inputValue : null, hasErrors: !valid };
}

/** The answer's data and its completion errors (the gateway's computeResponse, on the compiled shape). */
export function shapeAnswer(shape: AnswerShape, variables: Record<string, unknown> | undefined, input: Data | null | undefined, introspection: (selection: unknown) => unknown): { data: Data | null | undefined; errors: GraphQLError[] } {
  if (!input) return { data: input, errors: [] };
  const shaping: Shaping = { schema: shape.schema, variables: { __proto__: null, ...shape.defaultedVariables, ...variables } as Record<string, unknown>, errors: [], introspection };
  const data: Data = Object.create(null);
  const result = applySelectionSet(input, shape.root, data, shaping, [], shape.rootType);
  return { data: result === NULL_BUBBLE_UP ? null : data, errors: shaping.errors };
}

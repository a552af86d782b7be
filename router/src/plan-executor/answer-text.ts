// The client's answer written as JSON text straight from the data tree, in one pass over the
// compiled shape: the text JSON.stringify would make of shapeAnswer's data, without building
// that data. Only for answers that need nothing more: the first value that would be an error
// (an invalid leaf, a null for a non-null field, an unknown __typename) or anything unusual
// gives up, and the answer is shaped as objects instead (answer-shape.ts), errors and all.
import { isCompositeType, isCustomScalarType, isEnumType, isListType, isNonNullType, isObjectType, typenameFieldName, type NamedType, type OutputType } from '@apollo/federation-internals';
import { jsonString, jsonValue } from './json-text.js';
import { skipped, typeConditionApplies, type AnswerShape, type ShapedField, type ShapedSelectionSet } from './answer-shape.js';

type Data = Record<string, unknown>;

interface Writing {
  shape: AnswerShape;
  variables: Record<string, unknown>;
  text: string;
}

/** What a field's type asks of a value, read once from the schema (answer-shape.ts isValidLeaf, per kind). */
type Leaf = 'custom' | 'boolean' | 'int' | 'id' | 'float' | 'string' | { enumValues: Set<string> };
interface Written {
  nonNull: boolean;
  list?: Written;
  leaf?: Leaf;
  /** The composite type itself (a value's own __typename may name another). */
  composite?: NamedType;
}

function describe(type: OutputType, schema: AnswerShape['schema']): Written {
  const nonNull = isNonNullType(type);
  const inner = nonNull ? type.ofType : type;
  if (isListType(inner)) return { nonNull, list: describe(inner.ofType, schema) };
  if (isCompositeType(inner)) return { nonNull, composite: inner };
  if (isEnumType(inner)) return { nonNull, leaf: { enumValues: new Set(inner.values.map((value) => value.name)) } };
  if (isCustomScalarType(inner as never)) return { nonNull, leaf: 'custom' };
  const builtIn: [NamedType, Leaf][] = [
    [schema.booleanType(), 'boolean'],
    [schema.intType(), 'int'],
    [schema.idType(), 'id'],
    [schema.floatType(), 'float'],
  ];
  return { nonNull, leaf: builtIn.find(([named]) => named === inner)?.[1] ?? 'string' };
}

function writtenOf(field: ShapedField, schema: AnswerShape['schema']): Written {
  return (field.written ??= describe(field.type, schema)) as Written;
}

const integerString = /^-?(?:0|[1-9][0-9]*)$/;
const isInteger = (value: number) => Number.isFinite(value) && integerString.test(String(value));

/** A leaf value as JSON text, or undefined when the gateway would call it invalid. */
function leafText(value: unknown, leaf: Leaf): string | undefined {
  switch (typeof value) {
    case 'string':
      if (leaf === 'string' || leaf === 'id' || leaf === 'custom' || (typeof leaf === 'object' && leaf.enumValues.has(value))) return jsonString(value);
      return undefined;
    case 'number':
      if (leaf === 'custom' || (leaf === 'float' && Number.isFinite(value)) || ((leaf === 'int' || leaf === 'id') && isInteger(value))) return jsonValue(value);
      return undefined;
    case 'boolean':
      return leaf === 'boolean' || leaf === 'custom' ? String(value) : undefined;
    default:
      return leaf === 'custom' ? JSON.stringify(value) : undefined;
  }
}

/** Writes an object's selected fields (without braces); false to give up. */
function writeFields(input: Data, selections: ShapedSelectionSet, writing: Writing, parentType: NamedType, written: { count: number }): boolean {
  const { schema } = writing.shape;
  for (const selection of selections) {
    if ((selection.skip !== undefined || selection.include !== undefined) && skipped(selection, writing.variables)) continue;
    if (selection.kind === 'fragment') {
      const typename = input[typenameFieldName];
      if (typename && typeof typename !== 'string') return false;
      if (typeConditionApplies(schema, selection.typeCondition, typename as string | undefined, parentType)) {
        if (!writeFields(input, selection.selection, writing, selection.typeCondition ?? parentType, written)) return false;
      }
      continue;
    }
    if (selection.introspection) return false;
    const { responseName } = selection;
    let value = (Object.hasOwn(input, responseName) ? input[responseName] : undefined) ?? null;
    writing.text += written.count++ === 0 ? selection.key : `,${selection.key}`;
    if (selection.typename) {
      if (value === null && responseName !== typenameFieldName) value = input[typenameFieldName] ?? null;
      const type = value !== null && typeof value === 'string' ? (schema.type(value) ?? parentType) : parentType;
      if (!isObjectType(type)) return false;
      writing.text += jsonString(type.name);
      continue;
    }
    if (!writeValue(value, writtenOf(selection, schema), selection.selection, writing)) return false;
  }
  return true;
}

function writeValue(value: unknown, type: Written, selection: ShapedSelectionSet | undefined, writing: Writing): boolean {
  if (value === null) {
    if (type.nonNull) return false;
    writing.text += 'null';
    return true;
  }
  if (type.leaf) {
    const text = leafText(value, type.leaf);
    if (text === undefined) return false;
    writing.text += text;
    return true;
  }
  if (type.list) {
    if (!Array.isArray(value)) return false;
    writing.text += '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) writing.text += ',';
      if (value[i] === undefined || !writeValue(value[i], type.list, selection, writing)) return false;
    }
    writing.text += ']';
    return true;
  }
  if (!selection || typeof value !== 'object' || Array.isArray(value)) return false;
  const typename = (value as Data)[typenameFieldName];
  let objectType: NamedType = type.composite!;
  if (typename !== undefined) {
    if (typeof typename !== 'string') return false;
    if (typename) {
      const named = writing.shape.schema.type(typename);
      if (!named || !isCompositeType(named)) return false;
      objectType = named;
    }
  }
  writing.text += '{';
  if (!writeFields(value as Data, selection, writing, objectType, { count: 0 })) return false;
  writing.text += '}';
  return true;
}

/** The answer's data as JSON text, or undefined when it must be shaped as objects. */
export function writeAnswerText(shape: AnswerShape, variables: Record<string, unknown> | undefined, input: Data): string | undefined {
  if (!shape.writableAsText) return undefined;
  const writing: Writing = { shape, variables: { __proto__: null, ...shape.defaultedVariables, ...variables } as Record<string, unknown>, text: '{' };
  try {
    if (!writeFields(input, shape.root, writing, shape.rootType, { count: 0 })) return undefined;
  } catch {
    // A failed assertion (a @skip variable that is not a boolean...): the object path says it.
    return undefined;
  }
  return `${writing.text}}`;
}

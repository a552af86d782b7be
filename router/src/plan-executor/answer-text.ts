// The client's answer written as JSON text straight from the data tree, in one pass over the
// compiled shape: the text JSON.stringify would make of shapeAnswer's data, without building
// that data. Only for answers that need nothing more: the first value that would be an error
// (an invalid leaf, a null for a non-null field, an unknown __typename) or anything unusual
// gives up, and the answer is shaped as objects instead (answer-shape.ts), errors and all.
import { assert, isCompositeType, isListType, isNonNullType, isObjectType, typenameFieldName, type NamedType, type OutputType } from '@apollo/federation-internals';
import { isValidLeaf, skipped, typeConditionApplies, type AnswerShape, type ShapedSelectionSet } from './answer-shape.js';

type Data = Record<string, unknown>;

interface Writing {
  shape: AnswerShape;
  variables: Record<string, unknown>;
  text: string;
}

const hasOwn = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

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
    let value = (hasOwn(input, responseName) ? input[responseName] : undefined) ?? null;
    writing.text += written.count++ === 0 ? selection.key : `,${selection.key}`;
    if (selection.typename) {
      if (value === null && responseName !== typenameFieldName) value = input[typenameFieldName] ?? null;
      const type = value !== null && typeof value === 'string' ? (schema.type(value) ?? parentType) : parentType;
      if (!isObjectType(type)) return false;
      writing.text += JSON.stringify(type.name);
      continue;
    }
    if (!writeValue(value, selection.type, selection.selection, writing)) return false;
  }
  return true;
}

function writeValue(value: unknown, type: OutputType, selection: ShapedSelectionSet | undefined, writing: Writing): boolean {
  if (isNonNullType(type)) {
    if (value === null) return false;
    type = type.ofType;
  }
  if (value === null) {
    writing.text += 'null';
    return true;
  }
  if (isListType(type)) {
    if (!Array.isArray(value)) return false;
    writing.text += '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) writing.text += ',';
      if (value[i] === undefined || !writeValue(value[i], type.ofType, selection, writing)) return false;
    }
    writing.text += ']';
    return true;
  }
  if (isCompositeType(type)) {
    if (!selection || typeof value !== 'object' || Array.isArray(value)) return false;
    const typename = (value as Data)[typenameFieldName];
    let objectType: NamedType = type;
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
  if (!isValidLeaf(writing.shape.schema, value, type)) return false;
  writing.text += JSON.stringify(value);
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
  assert(writing.text.length > 0, 'an answer is never empty');
  return `${writing.text}}`;
}

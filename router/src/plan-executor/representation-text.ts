// Entity representations written straight to JSON text: the text both dedupes entities (same
// text, same entity) and goes into the request body, so no representation object is built and
// nothing is serialized twice. Only for the `requires` the planner makes for keys (type
// conditions over fields); anything else returns undefined and is read as an object
// (data-tree.ts representationOf), which gives the same JSON.
import type { GraphQLSchema } from 'graphql';
import type { QueryPlanFieldNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import { isObjectOfType, type Data } from './data-tree.js';
import { jsonValue } from './json-text.js';

interface TextField {
  key: string;
  /** `"key":`, written once. */
  prefix: string;
  fields?: TextField[];
}

interface TextFragment {
  typeCondition: string;
  fields: TextField[];
  /** Whether the fragment writes __typename, which a representation must have. */
  hasTypename: boolean;
}

/** The fragments of a `requires` the text writer handles; undefined when it cannot. */
export type RepresentationWriter = TextFragment[] | undefined;

function compileFields(selections: readonly QueryPlanSelectionNode[]): TextField[] | undefined {
  const fields: TextField[] = [];
  const keys = new Set<string>();
  for (const selection of selections) {
    if (selection.kind !== 'Field') return undefined;
    const key = (selection as QueryPlanFieldNode).alias ?? selection.name;
    // A key written twice would be one key in an object: the object path handles it.
    if (keys.has(key)) return undefined;
    keys.add(key);
    const inner = selection.selections && compileFields(selection.selections);
    if (selection.selections && !inner) return undefined;
    fields.push({ key, prefix: `${JSON.stringify(key)}:`, fields: inner });
  }
  return fields;
}

const compiled = new WeakMap<readonly QueryPlanSelectionNode[], RepresentationWriter>();

export function representationWriter(requires: readonly QueryPlanSelectionNode[]): RepresentationWriter {
  if (compiled.has(requires)) return compiled.get(requires);
  let writer: RepresentationWriter = [];
  for (const selection of requires) {
    const fields = selection.kind === 'InlineFragment' && selection.typeCondition ? compileFields(selection.selections) : undefined;
    if (!fields || selection.kind !== 'InlineFragment') {
      writer = undefined;
      break;
    }
    writer.push({ typeCondition: selection.typeCondition!, fields, hasTypename: fields.some((field) => field.key === '__typename') });
  }
  compiled.set(requires, writer);
  return writer;
}

/** An object's fields as JSON text; null when one is missing (the object's representation is null). */
function writeFields(source: Data, fields: TextField[]): string | null {
  let text = '{';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const value = source[field.key];
    if (value === undefined || !Object.hasOwn(source, field.key)) return null;
    text += (i === 0 ? '' : ',') + field.prefix;
    if (!field.fields) text += jsonValue(value);
    else if (Array.isArray(value)) {
      text += '[';
      for (let j = 0; j < value.length; j++) text += (j === 0 ? '' : ',') + writeNested(value[j], field.fields);
      text += ']';
    } else text += writeNested(value, field.fields);
  }
  return `${text}}`;
}

/** A nested value under a selection: its fields, or null for anything that is not an object with them. */
function writeNested(value: unknown, fields: TextField[]): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'null';
  return writeFields(value as Data, fields) ?? 'null';
}

/**
 * An entity's representation as JSON text: null when it has none (no matching type condition,
 * a missing field, no __typename), undefined when only the object path can tell (two type
 * conditions match and their fields would merge).
 */
export function representationText(schema: GraphQLSchema, entity: Data, writer: TextFragment[]): string | null | undefined {
  let matching: TextFragment | undefined;
  for (const fragment of writer) {
    if (!isObjectOfType(schema, entity, fragment.typeCondition)) continue;
    if (matching) return undefined;
    matching = fragment;
  }
  if (!matching || !matching.hasTypename || !entity.__typename) return null;
  return writeFields(entity, matching.fields);
}

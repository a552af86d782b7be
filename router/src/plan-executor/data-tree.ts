// The data tree a plan fills: moving into it along a Flatten path, merging each answer into it,
// reading an entity's representation out of it, and the planner's rewrites. Each mirrors
// @apollo/gateway's own rules (including what it does with falsy renamed values and entities
// without __typename), so both answer alike.
import { isAbstractType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { FetchDataRewrite, QueryPlanSelectionNode } from '@apollo/query-planner';

export type Data = Record<string, unknown>;

const isObject = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Makes a key named like an inherited member (constructor, __proto__) the object's own, so assigning it sets data. */
function defineOwn(target: Data, key: string): void {
  if (key in target && !Object.hasOwn(target, key)) Object.defineProperty(target, key, { value: undefined, writable: true, enumerable: true, configurable: true });
}

export function deepMerge(target: Data, source: unknown): Data {
  if (source === undefined || source === null) return target;
  const from = source as Data;
  for (const key of Object.keys(from)) {
    const value = from[key];
    if (value === undefined) continue;
    defineOwn(target, key);
    const existing = target[key];
    if (existing && isObject(value)) deepMerge(existing as Data, value);
    else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i++) {
        if (isObject(existing[i]) && isObject(value[i])) deepMerge(existing[i] as Data, value[i]);
        else existing[i] = value[i];
      }
    } else target[key] = value;
  }
  return target;
}

/** Thrown by the quick walk on what only the gateway's own walk words right (a non-list under `@`). */
const UNUSUAL = Symbol('unusual');

/** The values at a Flatten path: `@` flattens one list level. */
export function flattenAtPath(value: unknown, path: readonly (string | number)[]): unknown {
  if (!path.includes('@')) return flattenAtPathAsGateway(value, path);
  try {
    const found: unknown[] = [];
    const single = collectAtPath(value, path, 0, found);
    return single === found ? found : single;
  } catch (error) {
    if (error === UNUSUAL) return flattenAtPathAsGateway(value, path);
    throw error;
  }
}

/**
 * Pushes onto `found` what flatMap would add for `value` at `path[from..]`, one list for all
 * levels instead of one per level; returns `found`, or the value itself when it is reached
 * before any `@` (null, undefined).
 */
function collectAtPath(value: unknown, path: readonly (string | number)[], from: number, found: unknown[]): unknown {
  for (let i = from; i < path.length; i++) {
    if (value === undefined || value === null) {
      if (from === 0) return value;
      found.push(value);
      return found;
    }
    if (path[i] === '@') {
      if (!Array.isArray(value)) throw UNUSUAL;
      for (const element of value) collectAtPath(element, path, i + 1, found);
      return found;
    }
    if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${String(path[i])}`);
    const key = String(path[i]);
    value = Object.hasOwn(value as object, key) ? (value as Data)[key] : undefined;
  }
  if (Array.isArray(value)) for (const element of value) found.push(element);
  else found.push(value);
  return found;
}

function flattenAtPathAsGateway(value: unknown, path: readonly (string | number)[], from = 0): unknown {
  if (from === path.length) return value;
  if (value === undefined || value === null) return value;
  const current = path[from];
  if (current === '@') return (value as unknown[]).flatMap((element) => flattenAtPathAsGateway(element, path, from + 1));
  if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${String(current)}`);
  return flattenAtPathAsGateway(Object.hasOwn(value as object, String(current)) ? (value as Data)[String(current)] : undefined, path, from + 1);
}

/** Whether `value` is of `typeCondition` in the supergraph, by its __typename (`unknown` when it has none). */
export function isObjectOfType(schema: GraphQLSchema, value: Data, typeCondition: string, unknown = false): boolean {
  const typename = value.__typename;
  if (!typename) return unknown;
  if (typeCondition === typename) return true;
  const type = schema.getType(String(typename));
  if (!type) return false;
  const condition = schema.getType(typeCondition);
  if (!condition) return false;
  if (isAbstractType(condition)) return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type);
  return false;
}

/** The representation `requires` reads out of an entity; null when a field it needs is missing. */
export function representationOf(schema: GraphQLSchema, source: unknown, selections: readonly QueryPlanSelectionNode[]): Data | null {
  if (source === null) return null;
  const result: Data = Object.create(null);
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const name = selection.alias ?? selection.name;
      const value = (source as Data)[name];
      if (!Object.hasOwn(source as object, name) || value === undefined) return null;
      const inner = selection.selections;
      if (Array.isArray(value)) result[name] = value.map((element) => (inner ? representationOf(schema, element, inner) : element));
      else result[name] = inner ? representationOf(schema, value, inner) : value;
    } else {
      if (!selection.typeCondition || !source) continue;
      if (isObjectOfType(schema, source as Data, selection.typeCondition)) deepMerge(result, representationOf(schema, source, selection.selections));
    }
  }
  return result;
}

const FRAGMENT_PREFIX = '... on ';

function applyAtPath(schema: GraphQLSchema, path: readonly string[], value: unknown, apply: (object: Data) => void): void {
  if (Array.isArray(value)) {
    for (const element of value) applyAtPath(schema, path, element, apply);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (path.length === 0) {
    apply(value as Data);
    return;
  }
  const [first, ...rest] = path;
  if (first!.startsWith(FRAGMENT_PREFIX)) {
    if (isObjectOfType(schema, value as Data, first!.slice(FRAGMENT_PREFIX.length), true)) applyAtPath(schema, rest, value, apply);
  } else applyAtPath(schema, rest, Object.hasOwn(value as object, first!) ? (value as Data)[first!] : undefined, apply);
}

/** The planner's ValueSetters (an interface object's __typename) and KeyRenamers (its aliases back). */
export function applyRewrites(schema: GraphQLSchema, rewrites: readonly FetchDataRewrite[] | undefined, value: unknown): void {
  if (!rewrites) return;
  for (const rewrite of rewrites) {
    if (rewrite.path.length === 0) continue;
    const field = rewrite.path[rewrite.path.length - 1]!;
    if (field.startsWith(FRAGMENT_PREFIX)) throw new Error(`Unexpected fragment as last element of ${rewrite.path.join(',')}`);
    const parent = rewrite.path.slice(0, -1);
    if (rewrite.kind === 'ValueSetter') {
      applyAtPath(schema, parent, value, (object) => {
        defineOwn(object, field);
        object[field] = rewrite.setValueTo;
      });
    } else {
      applyAtPath(schema, parent, value, (object) => {
        const renamed = Object.hasOwn(object, field) ? object[field] : undefined;
        // As the gateway does: only a truthy value is moved to its name.
        if (renamed) {
          defineOwn(object, rewrite.renameKeyTo);
          object[rewrite.renameKeyTo] = renamed;
          object[field] = undefined;
        }
      });
    }
  }
}

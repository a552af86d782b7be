// A subgraph's errors as the client sees them, as @apollo/gateway words them: the message kept,
// locations dropped, the subgraph named in extensions, DOWNSTREAM_SERVICE_ERROR when it gave no
// code, and the path moved from the subgraph's operation to the client's (an entity's error to
// where that entity sits in the answer).
import { GraphQLError } from 'graphql';
import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import type { FetchNode } from '@apollo/query-planner';
import type { Data } from './data-tree.js';

export type ResponsePath = (string | number)[];

export interface Cursor {
  path: ResponsePath;
  data: unknown;
  fullResult: Data;
}

export interface SubgraphError {
  message?: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/** Every non-null value at the path in the whole tree, as concrete paths (the gateway's mapping of _entities[i]). */
function hydratedPaths(parent: ResponsePath, path: readonly (string | number)[], data: unknown, result: ResponsePath[]): void {
  if (data === null || data === undefined) return;
  const head = path[0];
  if (head === undefined) {
    result.push(parent.slice());
  } else if (head === '@') {
    if (!Array.isArray(data)) throw new Error('expected array when encountering `@`');
    for (const [index, value] of data.entries()) {
      parent.push(index);
      hydratedPaths(parent, path.slice(1), value, result);
      parent.pop();
    }
  } else if (Array.isArray(data)) {
    for (const [index, value] of data.entries()) {
      parent.push(index);
      hydratedPaths(parent, path, value, result);
      parent.pop();
    }
  } else if (Object.prototype.hasOwnProperty.call(data, head)) {
    parent.push(head);
    hydratedPaths(parent, path.slice(1), (data as Data)[head as string], result);
    parent.pop();
  }
}

/** Maps a subgraph error's path to the client's, computing the entity paths once per answer. */
export function errorPathMapper(fetch: FetchNode, cursor: Cursor): (path: readonly (string | number)[] | undefined) => ResponsePath | undefined {
  let entityPaths: ResponsePath[] | undefined;
  return (path) => {
    if (fetch.requires && typeof path?.[1] === 'number') {
      if (!entityPaths) {
        entityPaths = [];
        hydratedPaths([], cursor.path, cursor.fullResult, entityPaths);
      }
      return [...(entityPaths[path[1]] ?? []), ...path.slice(2)];
    }
    return path ? [...cursor.path, ...path] : undefined;
  };
}

export function downstreamServiceError(original: SubgraphError, serviceName: string, pathOf: (path: readonly (string | number)[] | undefined) => ResponsePath | undefined): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = { originalError: original as Error, path: pathOf(original.path), extensions: { ...original.extensions, serviceName } };
  const codeDef = errorCodeDef(original as never);
  if (!codeDef && original.extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

// Operations that try or create credentials (login, register, password changes and resets,
// refreshes; also through fragments) get a strict per-IP window of their own. The operation
// limits allow one such field per operation, so a window unit is one attempt.
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { credentialFieldsOf, fragmentsOf } from '../operation-limits/index.js';

// Asked on every request; Apollo hands the same parsed document to every request of one query
// text, so each operation is looked at once.
const known = new WeakMap<OperationDefinitionNode, boolean>();

export function triesCredentials(operation: OperationDefinitionNode, document: DocumentNode): boolean {
  let tries = known.get(operation);
  if (tries === undefined) known.set(operation, (tries = credentialFieldsOf(operation, fragmentsOf(document)).length > 0));
  return tries;
}

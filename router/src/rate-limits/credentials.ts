// Operations that try or create credentials (login, register, password changes and resets,
// refreshes; also through fragments) get a strict per-IP window of their own. The operation
// limits allow one such field per operation, so a window unit is one attempt.
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { credentialFieldsOf, fragmentsOf } from '../operation-limits/index.js';

export const triesCredentials = (operation: OperationDefinitionNode, document: DocumentNode) =>
  credentialFieldsOf(operation, fragmentsOf(document)).length > 0;

// Operations that try or create credentials (a login or register mutation, also through
// fragments), which get a strict per-IP window of their own.
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** Root mutation fields that try or create credentials. */
export const CREDENTIAL_FIELDS = new Set(['login', 'register']);

function selectsField(selectionSet: SelectionSetNode, names: Set<string>, document: DocumentNode, seen = new Set<string>()): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return names.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsField(selection.selectionSet, names, document, seen);
    const name = selection.name.value;
    if (seen.has(name)) return false;
    seen.add(name);
    const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name);
    return fragment?.kind === Kind.FRAGMENT_DEFINITION && selectsField(fragment.selectionSet, names, document, seen);
  });
}

export const triesCredentials = (operation: OperationDefinitionNode, document: DocumentNode) =>
  operation.operation === 'mutation' && selectsField(operation.selectionSet, CREDENTIAL_FIELDS, document);

// The root fields an operation selects, through fragments, each alias counted: what one
// request asks the subgraphs to do at its top level.
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

function collect(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, into: string[], seen: Set<string>): string[] {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet, fragments, into, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) collect(fragment.selectionSet, fragments, into, seen);
    }
  }
  return into;
}

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
}

/** The names of the root fields, once per selection (aliases of one field count separately). */
export const rootFieldsOf = (operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): string[] =>
  collect(operation.selectionSet, fragments, [], new Set());

/** Root mutation fields that try or create credentials: each is a guess or a new account. */
export const CREDENTIAL_FIELDS = new Set([
  'login',
  'register',
  'changePassword',
  'resetPassword',
  'requestPasswordReset',
  'refreshToken',
  // Signing in with a provider, linking one, and a first password.
  'startSignIn',
  'completeSignIn',
  'confirmSignInLink',
  'startIdentityLink',
  'completeIdentityLink',
  'setPassword',
]);

/** The credential fields among an operation's root fields (pass them when already collected). */
export const credentialFieldsOf = (
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  rootFields = rootFieldsOf(operation, fragments),
): string[] => (operation.operation === 'mutation' ? rootFields.filter((name) => CREDENTIAL_FIELDS.has(name)) : []);

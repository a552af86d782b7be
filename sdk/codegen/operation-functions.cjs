// graphql-codegen plugin: one typed function per operation, over any request function; a
// subscription's function returns an async iterator of its results, over a subscribe function.
// Runs after typescript-operations and typed-document-node (string mode) in the same file.
const lowerFirst = (name) => name[0].toLowerCase() + name.slice(1);
const upperFirst = (name) => name[0].toUpperCase() + name.slice(1);

module.exports = {
  plugin(_schema, documents) {
    const functions = [];
    for (const { document } of documents) {
      for (const definition of document.definitions) {
        if (definition.kind !== 'OperationDefinition' || !definition.name) continue;
        const name = definition.name.value;
        const result = name + upperFirst(definition.operation);
        const needsVariables = (definition.variableDefinitions ?? []).some((variable) => variable.type.kind === 'NonNullType' && !variable.defaultValue);
        const subscription = definition.operation === 'subscription';
        functions.push(
          `    ${lowerFirst(name)}(variables${needsVariables ? '' : '?'}: ${result}Variables): ${subscription ? `SubscriptionIterator<${result}>` : `Promise<${result}>`} {\n` +
            `      return ${subscription ? 'subscribe' : 'request'}(${name}Document, variables);\n` +
            `    },`,
        );
      }
    }
    return [
      'export type RequestFunction = <R, V>(document: TypedDocumentString<R, V>, variables?: V) => Promise<R>;',
      '',
      "/** A subscription's results, in order: `for await (const data of ...)`; leaving the loop (or `return()`) unsubscribes. */",
      'export interface SubscriptionIterator<R> extends AsyncIterableIterator<R> {',
      '  return(): Promise<IteratorResult<R, undefined>>;',
      '}',
      '',
      'export type SubscribeFunction = <R, V>(document: TypedDocumentString<R, V>, variables?: V) => SubscriptionIterator<R>;',
      '',
      'const noSubscriptions: SubscribeFunction = () => {',
      "  throw new Error('getSdk: this SDK was made without a subscribe function');",
      '};',
      '',
      'export function getSdk(request: RequestFunction, subscribe: SubscribeFunction = noSubscriptions) {',
      '  return {',
      ...functions,
      '  };',
      '}',
      '',
    ].join('\n');
  },
};

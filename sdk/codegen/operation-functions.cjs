// graphql-codegen plugin: one typed function per operation, over any request function.
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
        functions.push(
          `    ${lowerFirst(name)}(variables${needsVariables ? '' : '?'}: ${result}Variables): Promise<${result}> {\n` +
            `      return request(${name}Document, variables);\n` +
            `    },`,
        );
      }
    }
    return [
      'export type RequestFunction = <R, V>(document: TypedDocumentString<R, V>, variables?: V) => Promise<R>;',
      '',
      'export function getSdk(request: RequestFunction) {',
      '  return {',
      ...functions,
      '  };',
      '}',
      '',
    ].join('\n');
  },
};

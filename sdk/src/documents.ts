// The SDK's operations as typed document nodes, for Apollo Client, urql and other clients that
// take a TypedDocumentNode: `import { MeDocument } from '@builderai/sdk/documents'`.
export * from './generated/documents.js';

export * from './start-service.js';
export * from './graphql-client.js';
export * from './tcp-proxy.js';
export * from './waiting.js';
export * from './sql-count.js';
export * from './fake-openai.js';
export * from './mcp-servers/index.js';
export * from './oidc/index.js';

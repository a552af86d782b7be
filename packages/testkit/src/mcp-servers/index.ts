export * from './everything.js';
export * from './sdk-server.js';
export * from './oauth-server.js';
export type { McpTestTool, McpToolExtra, McpToolResult } from './tools.js';

// Shared by the mcp tests: the service as tests run it (loopback servers allowed, the real
// server-everything allow-listed for stdio), and users.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The entry of @modelcontextprotocol/server-everything, as an operator would allow-list it. */
export const EVERYTHING_ENTRY = path.join(path.dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');

export const TEST_ENV = {
  MCP_ALLOW_NETWORKS: 'loopback',
  MCP_STDIO_COMMANDS: JSON.stringify({ everything: { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] } }),
  MCP_SECRETS_KEY: 'mcp-test-secrets-key-0f8e7d6c5b4a39281706f5e4d3c2b1a0',
  MCP_CONNECT_TIMEOUT_MS: '5000',
  MCP_CALL_TIMEOUT_MS: '5000',
};

export const newUserId = () => randomUUID();

export { asAdmin as admin, asUser as as, eventually, errorCodesOf, expectNoGraphQLErrors } from '@builderai/testkit';

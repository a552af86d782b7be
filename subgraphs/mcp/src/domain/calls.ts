// Calling a tool of a user's server through the pool: the server's timeout on every call, a
// failing tool as a result with isError (the model or the user reads why), a server that cannot
// be reached as UNAVAILABLE (at once while its breaker is open), and each call's time kept for
// the server's metrics.
import { appError, badUserInput, ErrorCode as AppErrorCode, forbidden, unavailable, type Viewer } from '@builderai/kit';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpApp } from '../context.js';
import { CircuitOpenError } from '../connections/breaker.js';
import { ConnectError } from '../connections/open-client.js';
import { readableError } from '../connections/errors.js';
import { AuthorizationRequiredError } from '../connections/authorized-fetch.js';
import { endpointOf } from './endpoints.js';
import { findServer } from './servers.js';
import type { McpServer } from '../generated/prisma/client.ts';

type Deps = Pick<McpApp, 'db' | 'config' | 'secretsKey' | 'grants' | 'pool' | 'logger'>;

export interface ToolResult {
  content: unknown[];
  structuredContent: unknown;
  isError: boolean;
  durationMs: number;
}

const TOOL_NAME_MAX = 200;
const ARGUMENTS_MAX_BYTES = 256 * 1024;

function checkedCall(name: string, args: unknown): { name: string; args: Record<string, unknown> } {
  if (!name || name.length > TOOL_NAME_MAX) throw badUserInput(`name must be 1 to ${TOOL_NAME_MAX} characters`, 'name');
  if (args === null || args === undefined) return { name, args: {} };
  if (typeof args !== 'object' || Array.isArray(args)) throw badUserInput('arguments must be a JSON object', 'arguments');
  if (Buffer.byteLength(JSON.stringify(args)) > ARGUMENTS_MAX_BYTES) throw badUserInput(`arguments must be at most ${ARGUMENTS_MAX_BYTES} bytes of JSON`, 'arguments');
  return { name, args: args as Record<string, unknown> };
}

/** Calls the tool on a server the viewer owns (an admin may read a server, not use its credentials). */
export async function callTool(deps: Deps, viewer: Viewer, serverId: string, rawName: string, rawArgs: unknown): Promise<ToolResult> {
  const server = await findServer(deps, viewer, serverId);
  if (server.userId !== viewer.userId) throw forbidden('Only its owner may call a server\'s tools');
  const { name, args } = checkedCall(rawName, rawArgs);
  return callServerTool(deps, server, name, args);
}

export async function callServerTool(deps: Deps, server: McpServer, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  const endpoint = await endpointOf(deps, server);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let result: ToolResult;
  try {
    const answer = await deps.pool.use(endpoint, (client) => client.callTool({ name, arguments: args }, undefined, { timeout: endpoint.timeoutMs, maxTotalTimeout: endpoint.timeoutMs }));
    result = { content: (answer.content as unknown[]) ?? [], structuredContent: answer.structuredContent ?? null, isError: answer.isError === true, durationMs: elapsed() };
  } catch (error) {
    await saveMetric(deps, server.id, name, elapsed(), false);
    if (error instanceof AuthorizationRequiredError) throw appError(AppErrorCode.FORBIDDEN, `${server.name}: ${error.message}`, { authorizationRequired: true, serverId: server.id });
    if (error instanceof CircuitOpenError) throw unavailable(`${server.name}: ${error.message}`);
    if (error instanceof ConnectError) throw unavailable(`${server.name} could not be reached: ${error.message}`);
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) throw unavailable(`${server.name}: the tool did not answer within ${endpoint.timeoutMs} ms`);
    if (error instanceof McpError) return { content: [{ type: 'text', text: error.message }], structuredContent: null, isError: true, durationMs: elapsed() };
    throw unavailable(`${server.name}: ${readableError(error, endpoint.timeoutMs)}`);
  }
  await saveMetric(deps, server.id, name, result.durationMs, !result.isError);
  return result;
}

async function saveMetric(deps: Deps, serverId: string, tool: string, responseTime: number, ok: boolean): Promise<void> {
  // Metrics are not worth failing a call over (the server may have been removed meanwhile).
  await deps.db.mcpServerMetric.create({ data: { serverId, tool, responseTime, ok } }).catch(() => undefined);
}

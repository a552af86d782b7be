// What went wrong talking to an MCP server, in words a user can act on, and whether a failed
// call certainly never reached the server (only then may it be sent again: no tool runs twice).
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { AuthorizationRequiredError } from './authorized-fetch.js';

// Socket errors raised before a request could be sent.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNABORTED']);

/** The error and its causes, outermost first. */
function chain(error: unknown): unknown[] {
  const errors: unknown[] = [];
  for (let current = error; current && errors.length < 6; current = (current as { cause?: unknown }).cause) errors.push(current);
  return errors;
}

const codeOf = (error: unknown) => (error as { code?: unknown })?.code;

/** The connection could not be made at all: the request was never sent. */
export const notConnected = (error: unknown) => chain(error).some((item) => typeof codeOf(item) === 'string' && NOT_CONNECTED.has(codeOf(item) as string));

/** The server no longer knows the session (it restarted, or expired it): it refused the request unread. */
export function sessionGone(error: unknown): boolean {
  if (!(error instanceof StreamableHTTPError)) return false;
  return error.code === 404 || (error.code === 400 && /session/i.test(error.message));
}

/**
 * The server itself answered (an error of the protocol or a tool, a refused authorization): it
 * is up, whatever became of the call. Timeouts and closed connections say nothing of the kind.
 */
export function serverAnswered(error: unknown): boolean {
  if (error instanceof AuthorizationRequiredError) return true;
  return error instanceof McpError && error.code !== ErrorCode.RequestTimeout && error.code !== ErrorCode.ConnectionClosed;
}

/** True only when the call certainly did not reach the server's tool. */
export const neverReachedServer = (error: unknown) => notConnected(error) || sessionGone(error);

export function readableError(error: unknown, timeoutMs?: number): string {
  if (error instanceof AuthorizationRequiredError) return error.message;
  if (error instanceof UnauthorizedError) return 'the server requires authorization (startMcpAuthorization)';
  if (error instanceof McpError) {
    if (error.code === ErrorCode.RequestTimeout) return `no answer within ${timeoutMs ?? 'the allowed'} ms`;
    if (error.code === ErrorCode.ConnectionClosed) return 'the connection closed';
    return error.message;
  }
  if (error instanceof StreamableHTTPError || error instanceof SseError) {
    const status = error.code;
    if (status === 401 || status === 403) return `the server refused access (HTTP ${status})`;
    if (status === 404) return 'no MCP endpoint there (HTTP 404)';
    return `the server answered HTTP ${status ?? 'error'}: ${error.message.slice(0, 200)}`;
  }
  for (const item of chain(error)) {
    const code = codeOf(item);
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connecting timed out';
    if ((item as Error)?.name === 'UnsafeUrlError') return (item as Error).message;
  }
  return (error as Error)?.message?.slice(0, 300) || String(error);
}

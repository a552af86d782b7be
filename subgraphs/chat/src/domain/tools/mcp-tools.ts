// The tools of the MCP servers a project uses (its config.mcpServerIds), offered to the model
// beside the file tools: read through the router as the user when the answer starts, called
// through the router as the user (the mcp service holds the connections and credentials).
// Tools whose consent is NEVER are not offered; ASK calls wait for the user's approval.
import { RouterRequestError, type Identity, type RouterClient } from '@builderai/kit';
import type { ToolDefinition } from '../completion.js';
import type { ToolOutcome } from './run-tool.js';
import { READ_MAX_CHARS } from './run-tool.js';

export type Consent = 'ASK' | 'ALWAYS' | 'NEVER';

export interface McpTool {
  /** The function name the model calls. */
  name: string;
  serverId: string;
  serverName: string;
  tool: string;
  consent: Consent;
  definition: ToolDefinition;
}

/** At most this many MCP tools are offered (a model takes 128 functions at most, files included). */
export const MAX_MCP_TOOLS = 64;
const DESCRIPTION_MAX = 1000;

const QUERY = `query ($id: ID!) {
  project(id: $id) { config { mcpServerIds } }
  me { mcpServers { id name status tools { name description inputSchema consent } } }
}`;
const CALL = 'mutation ($id: ID!, $name: String!, $args: JSON) { callMcpTool(serverId: $id, name: $name, arguments: $args) { content isError } }';

interface ServerTools {
  id: string;
  name: string;
  status: string;
  tools: Array<{ name: string; description: string | null; inputSchema: unknown; consent: Consent }>;
}

/** A function name the model accepts (letters, digits, _ and -, at most 64), unique among `taken`. */
function functionName(index: number, tool: string, taken: Set<string>): string {
  const base = `mcp${index}_${tool.replace(/[^a-zA-Z0-9_-]/g, '_')}`.slice(0, 60);
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

const objectSchema = (schema: unknown) =>
  typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'object' ? (schema as Record<string, unknown>) : { type: 'object', properties: {} };

/** The project's MCP tools the model may call; none when it uses no servers (or they cannot be read). */
export async function loadMcpTools(router: RouterClient, identity: Identity, projectId: string, requestId: string): Promise<McpTool[]> {
  const data = await router.request<{ project: { config: { mcpServerIds: string[] } } | null; me: { mcpServers: ServerTools[] } | null }>(identity, QUERY, { id: projectId }, { requestId });
  const wanted = new Set(data.project?.config.mcpServerIds ?? []);
  if (wanted.size === 0) return [];
  const servers = (data.me?.mcpServers ?? []).filter((server) => wanted.has(server.id));
  const taken = new Set<string>();
  const tools: McpTool[] = [];
  for (const [index, server] of servers.entries()) {
    for (const tool of server.tools) {
      if (tool.consent === 'NEVER' || tools.length >= MAX_MCP_TOOLS) continue;
      const name = functionName(index, tool.name, taken);
      const description = `${server.name}: ${tool.description ?? tool.name}`.slice(0, DESCRIPTION_MAX);
      tools.push({ name, serverId: server.id, serverName: server.name, tool: tool.name, consent: tool.consent, definition: { type: 'function', function: { name, description, parameters: objectSchema(tool.inputSchema) } } });
    }
  }
  return tools;
}

/** What a tool's content blocks say, as text for the model (other kinds named), cut like a read. */
function textOf(content: unknown): string {
  const blocks = Array.isArray(content) ? (content as Array<{ type?: string; text?: string }>) : [];
  const text = blocks.map((block) => (block.type === 'text' ? (block.text ?? '') : `[${block.type ?? 'content'}]`)).join('\n');
  return text.length > READ_MAX_CHARS ? `${text.slice(0, READ_MAX_CHARS)}… (cut: ${text.length} characters in all)` : text;
}

/** Calls the tool through the router as the user; every failure is the model's to read. */
export async function callMcpTool(router: RouterClient, identity: Identity, tool: McpTool, rawArguments: string, requestId: string): Promise<ToolOutcome> {
  let args: unknown;
  try {
    args = rawArguments.trim() === '' ? {} : JSON.parse(rawArguments);
  } catch {
    return { ok: false, error: 'The arguments are not valid JSON' };
  }
  try {
    const { callMcpTool: result } = await router.request<{ callMcpTool: { content: unknown; isError: boolean } }>(identity, CALL, { id: tool.serverId, name: tool.tool, args }, { requestId });
    const text = textOf(result.content);
    return result.isError ? { ok: false, error: text || `${tool.tool} failed` } : { ok: true, result: text };
  } catch (error) {
    if (error instanceof RouterRequestError) return { ok: false, error: `${tool.serverName}: ${error.message}` };
    throw error;
  }
}

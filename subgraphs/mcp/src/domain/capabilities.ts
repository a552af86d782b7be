// What a server offers (tools, resources, prompts) and who it is, read from the server page by
// page and kept on its row, so listing them never waits for the server; refreshed when the
// server announces a change, at each check and at each test.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

export interface ToolInfo {
  name: string;
  title?: string | null;
  description?: string | null;
  inputSchema: unknown;
  outputSchema?: unknown;
}

export interface Capabilities {
  serverName: string | null;
  serverVersion: string | null;
  tools: ToolInfo[];
  resources: Array<{ uri: string; name: string; description?: string | null; mimeType?: string | null }>;
  prompts: Array<{ name: string; description?: string | null; arguments: Array<{ name: string; description?: string | null; required: boolean }> }>;
}

export const NO_CAPABILITIES: Capabilities = { serverName: null, serverVersion: null, tools: [], resources: [], prompts: [] };

/** At most this many of each are kept: a server cannot make the row (or a prompt) huge. */
export const MAX_ITEMS = 500;
const MAX_PAGES = 20;

async function allPages<T>(list: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES && items.length < MAX_ITEMS; page++) {
    const result = await list(cursor);
    items.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return items.slice(0, MAX_ITEMS);
}

export const toolInfo = (tool: { name: string; title?: string; description?: string; inputSchema: unknown; outputSchema?: unknown }): ToolInfo => ({
  name: tool.name,
  title: tool.title ?? null,
  description: tool.description ?? null,
  inputSchema: tool.inputSchema,
  outputSchema: tool.outputSchema ?? null,
});

export const resourceInfo = (resource: { uri: string; name: string; description?: string; mimeType?: string }) => ({
  uri: resource.uri,
  name: resource.name,
  description: resource.description ?? null,
  mimeType: resource.mimeType ?? null,
});

export const promptInfo = (prompt: { name: string; description?: string; arguments?: Array<{ name: string; description?: string; required?: boolean }> }) => ({
  name: prompt.name,
  description: prompt.description ?? null,
  arguments: (prompt.arguments ?? []).map((argument) => ({ name: argument.name, description: argument.description ?? null, required: argument.required ?? false })),
});

/** Everything the server offers, asking only for what it says it has. */
export async function readCapabilities(client: Client, timeoutMs: number): Promise<Capabilities> {
  const offered = client.getServerCapabilities() ?? {};
  const version = client.getServerVersion();
  const options = { timeout: timeoutMs };
  const [tools, resources, prompts] = await Promise.all([
    offered.tools ? allPages(async (cursor) => { const r = await client.listTools({ cursor }, options); return { items: r.tools.map(toolInfo), nextCursor: r.nextCursor }; }) : [],
    offered.resources ? allPages(async (cursor) => { const r = await client.listResources({ cursor }, options); return { items: r.resources.map(resourceInfo), nextCursor: r.nextCursor }; }) : [],
    offered.prompts ? allPages(async (cursor) => { const r = await client.listPrompts({ cursor }, options); return { items: r.prompts.map(promptInfo), nextCursor: r.nextCursor }; }) : [],
  ]);
  return { serverName: version?.name ?? null, serverVersion: version?.version ?? null, tools, resources, prompts };
}

// Registering, changing and removing a user's MCP servers. A server is its owner's alone (an
// admin may read it); names are unique per user; headers are stored encrypted and never read
// back; a change closes the server's open sessions so the next call uses the new settings.
import { badUserInput, changeable, encryptAtRest, isUuid, readable, type Viewer } from '@builderai/kit';
import type { McpServer, Prisma } from '../generated/prisma/client.ts';
import type { McpApp } from '../context.js';
import { mcpEvents } from '../events.js';
import { HEADERS_KIND } from './endpoints.js';
import { checkedSettings, type RawServerInput, type ServerSettings } from './server-input.js';

type Deps = Pick<McpApp, 'db' | 'config' | 'checkUrl' | 'secretsKey' | 'pool' | 'publishEvents'>;

export async function findServer(deps: Pick<Deps, 'db'>, viewer: Viewer, id: string): Promise<McpServer> {
  const server = isUuid(id) ? await deps.db.mcpServer.findUnique({ where: { id } }) : null;
  return readable(viewer, server, 'MCP server');
}

async function ownServer(deps: Deps, viewer: Viewer, id: string): Promise<McpServer> {
  const server = isUuid(id) ? await deps.db.mcpServer.findUnique({ where: { id } }) : null;
  return changeable(viewer, server, 'MCP server');
}

async function stored(deps: Deps, settings: ServerSettings): Promise<Prisma.McpServerUncheckedUpdateInput> {
  const { headers, ...rest } = settings;
  const sealedHeaders = headers === undefined ? undefined : headers.length ? await encryptAtRest(HEADERS_KIND, Object.fromEntries(headers.map((h) => [h.name, h.value])), deps.secretsKey) : null;
  return { ...rest, ...(sealedHeaders !== undefined && { sealedHeaders }), status: 'UNKNOWN', lastError: null, nextCheckAt: new Date() };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === 'P2002';
const nameTaken = (name: string) => badUserInput(`You have a server named "${name}" already`, 'name');

export async function registerServer(deps: Deps, viewer: Viewer & { userId: string }, input: RawServerInput & { name: string }): Promise<McpServer> {
  const settings = await checkedSettings(input, deps.config, deps.checkUrl);
  const count = await deps.db.mcpServer.count({ where: { userId: viewer.userId } });
  if (count >= deps.config.maxServersPerUser) throw badUserInput(`You have ${count} servers, the most one may register; remove one first`, 'name');
  try {
    const server = await deps.db.$transaction(async (tx) => {
      const data = (await stored(deps, settings)) as Prisma.McpServerUncheckedCreateInput;
      const created = await tx.mcpServer.create({ data: { ...data, userId: viewer.userId } });
      await mcpEvents.record(tx, 'mcp.server.registered', { serverId: created.id, userId: created.userId, name: created.name, transport: created.transport });
      return created;
    });
    deps.publishEvents();
    return server;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(settings.name);
    throw error;
  }
}

export async function updateServer(deps: Deps, viewer: Viewer, id: string, input: Omit<RawServerInput, 'transport'>): Promise<McpServer> {
  const server = await ownServer(deps, viewer, id);
  const merged = {
    name: input.name ?? server.name,
    transport: server.transport,
    url: input.url === undefined ? server.url : input.url,
    command: input.command === undefined ? server.command : input.command,
    fallbackUrls: input.fallbackUrls === undefined || input.fallbackUrls === null ? server.fallbackUrls : input.fallbackUrls,
    headers: input.headers ?? undefined,
    timeoutMs: input.timeoutMs === undefined ? server.timeoutMs : input.timeoutMs,
  };
  const settings = await checkedSettings(merged, deps.config, deps.checkUrl);
  try {
    const updated = await deps.db.mcpServer.update({ where: { id: server.id }, data: await stored(deps, settings) });
    await deps.pool.closeServer(server.id);
    return updated;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(settings.name);
    throw error;
  }
}

export async function removeServer(deps: Deps, viewer: Viewer, id: string): Promise<string> {
  const server = await ownServer(deps, viewer, id);
  await deps.db.$transaction(async (tx) => {
    await tx.mcpServer.delete({ where: { id: server.id } });
    await mcpEvents.record(tx, 'mcp.server.removed', { serverId: server.id, userId: server.userId });
  });
  deps.publishEvents();
  await deps.pool.closeServer(server.id);
  return server.id;
}

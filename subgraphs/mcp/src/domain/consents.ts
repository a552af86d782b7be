// The owner's consent for each tool of a server in chat: ASK (each call waits for approval),
// ALWAYS or NEVER. A tool without a setting is ASK, so a newly announced tool never runs unasked.
import { badUserInput, changeable, isUuid, type Viewer } from '@builderai/kit';
import type { McpToolConsent, McpToolConsentSetting, PrismaClient } from '../generated/prisma/client.ts';
import { NO_CAPABILITIES, type Capabilities, type ToolInfo } from './capabilities.js';

export type ToolWithConsent = ToolInfo & { consent: McpToolConsent };

export const withConsents = (tools: ToolInfo[], consents: McpToolConsentSetting[]): ToolWithConsent[] =>
  tools.map((tool) => ({ ...tool, consent: consents.find((setting) => setting.tool === tool.name)?.consent ?? 'ASK' }));

export async function setToolConsent(db: PrismaClient, viewer: Viewer, serverId: string, tool: string, consent: McpToolConsent): Promise<ToolWithConsent> {
  const server = changeable(viewer, isUuid(serverId) ? await db.mcpServer.findUnique({ where: { id: serverId } }) : null, 'MCP server');
  const offered = ((server.capabilities as Capabilities | null) ?? NO_CAPABILITIES).tools.find((candidate) => candidate.name === tool);
  if (!offered) throw badUserInput(`${server.name} does not offer a tool named "${tool.slice(0, 200)}" (testMcpServer refreshes its list)`, 'tool');
  await db.mcpToolConsentSetting.upsert({ where: { serverId_tool: { serverId, tool } }, create: { serverId, tool, consent }, update: { consent } });
  return { ...offered, consent };
}

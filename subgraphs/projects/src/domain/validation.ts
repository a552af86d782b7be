// The rules of a project's fields. Each parser validates what a client sent and returns the
// values to store, or throws BAD_USER_INPUT naming the first bad field.
import { badUserInput, isUuid, jsonObject, optionalText, requiredText } from '@builderai/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { LlmChoice } from './models.js';

export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 2_000;
export const PROMPT_MAX = 20_000;
export const MCP_SERVERS_MAX = 50;
export const SETTINGS_MAX_BYTES = 16_384;


export interface ProjectConfigInput {
  /** Replaces the list; omitted (or null) keeps it. */
  mcpServerIds?: string[] | null;
  /** Replaces the object; omitted (or null) keeps it. */
  settings?: unknown;
}

export interface CreateProjectInput {
  name: string;
  description?: string | null;
  prompt?: string | null;
  llm?: string | null;
  config?: ProjectConfigInput | null;
}

/** Omitted fields stay as they are; null (or blank) clears description or prompt. */
export interface UpdateProjectInput {
  name?: string | null;
  description?: string | null;
  prompt?: string | null;
  llm?: string | null;
}

/** Validated values, named after the columns. */
export interface ProjectChanges {
  name?: string;
  description?: string | null;
  prompt?: string | null;
  llm?: string;
}

export interface ConfigChanges {
  mcpServerIds?: string[];
  settings?: Prisma.InputJsonObject;
}

export interface NewProject {
  name: string;
  description: string | null;
  prompt: string | null;
  llm: string;
  config: ConfigChanges;
}

export const parseName = (raw: string | null): string => requiredText(raw, 'name', NAME_MAX);

export function parseLlm(raw: string | null, llms: LlmChoice): string {
  const llm = raw?.trim() ?? '';
  if (!llms.allowed.includes(llm)) throw badUserInput(`llm must be one of ${llms.allowed.join(', ')}`, 'llm');
  return llm;
}

/** Distinct lowercase UUIDs, in the order given. */
export function parseMcpServerIds(raw: string[]): string[] {
  if (raw.some((id) => !isUuid(id))) throw badUserInput('mcpServerIds must be MCP server ids (UUIDs)', 'mcpServerIds');
  const ids = [...new Set(raw.map((id) => id.toLowerCase()))];
  if (ids.length > MCP_SERVERS_MAX) throw badUserInput(`A project may use at most ${MCP_SERVERS_MAX} MCP servers`, 'mcpServerIds');
  return ids;
}

export const parseSettings = (raw: unknown) => jsonObject<Prisma.InputJsonObject>(raw, 'settings', SETTINGS_MAX_BYTES);

export function parseConfigInput(input: ProjectConfigInput): ConfigChanges {
  const changes: ConfigChanges = {};
  if (input.mcpServerIds != null) changes.mcpServerIds = parseMcpServerIds(input.mcpServerIds);
  if (input.settings != null) changes.settings = parseSettings(input.settings);
  return changes;
}

export function parseCreateInput(input: CreateProjectInput, llms: LlmChoice): NewProject {
  return {
    name: parseName(input.name),
    description: optionalText(input.description ?? null, 'description', DESCRIPTION_MAX),
    prompt: optionalText(input.prompt ?? null, 'prompt', PROMPT_MAX),
    llm: input.llm == null ? llms.default : parseLlm(input.llm, llms),
    config: parseConfigInput(input.config ?? {}),
  };
}

export function parseUpdateInput(input: UpdateProjectInput, llms: LlmChoice): ProjectChanges {
  const changes: ProjectChanges = {};
  if (input.name !== undefined) changes.name = parseName(input.name);
  if (input.description !== undefined) changes.description = optionalText(input.description, 'description', DESCRIPTION_MAX);
  if (input.prompt !== undefined) changes.prompt = optionalText(input.prompt, 'prompt', PROMPT_MAX);
  if (input.llm !== undefined) changes.llm = parseLlm(input.llm, llms);
  return changes;
}

/** The name of a copy: "<name> (copy)", the name cut so the whole still fits. */
export function copyName(name: string): string {
  const suffix = ' (copy)';
  return [...name].slice(0, NAME_MAX - suffix.length).join('').trimEnd() + suffix;
}

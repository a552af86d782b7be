// What a user may register as an MCP server, checked before anything is stored: the name, a URL
// whose scheme fits the transport and that does not lead into a private network, fallback
// URLs alike, headers that are plain header lines, and for STDIO only the name of a command the
// operator allow-listed (a user never says what runs).
import { badUserInput, requiredText } from '@builderai/kit';
import type { McpTransport } from '../generated/prisma/client.ts';
import type { McpConfig } from '../config.js';

export const NAME_MAX = 100;
export const FALLBACK_URLS_MAX = 3;
export const HEADERS_MAX = 10;
const HEADER_VALUE_MAX = 4096;
export const TIMEOUT_MIN_MS = 100;
export const TIMEOUT_MAX_MS = 300_000;

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,100}$/;
// Headers the transport sets itself: a user's value would break the protocol or the request.
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'accept', 'connection', 'transfer-encoding', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id', 'upgrade', 'cookie']);

const SCHEMES: Record<Exclude<McpTransport, 'STDIO'>, string[]> = {
  STREAMABLE_HTTP: ['http:', 'https:'],
  SSE: ['http:', 'https:'],
  WEBSOCKET: ['ws:', 'wss:'],
};

/** Refuses a URL that leads into a network users may not reach (see network/). */
export type UrlCheck = (url: string, field: string) => Promise<string>;

export interface HeaderInput {
  name: string;
  value: string;
}

export interface ServerSettings {
  name: string;
  transport: McpTransport;
  url: string | null;
  command: string | null;
  fallbackUrls: string[];
  headers: HeaderInput[] | undefined;
  timeoutMs: number | null;
}

export const serverName = (raw: string) => requiredText(raw, 'name', NAME_MAX);

/** The URL, parsed, of the transport's scheme and safe to connect to; BAD_USER_INPUT on `field` otherwise. */
export async function serverUrl(raw: string, transport: McpTransport, field: string, checkUrl: UrlCheck): Promise<string> {
  if (transport === 'STDIO') throw badUserInput('A STDIO server has a command, not a URL', field);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badUserInput(`${field} is not a URL`, field);
  }
  const schemes = SCHEMES[transport];
  if (!schemes.includes(url.protocol)) throw badUserInput(`${field} must start with ${schemes.map((scheme) => `${scheme}//`).join(' or ')} for ${transport}`, field);
  if (url.username || url.password) throw badUserInput(`${field} must not hold credentials; send them as headers`, field);
  if (url.href.length > 2048) throw badUserInput(`${field} must be at most 2048 characters`, field);
  return checkUrl(url.href, field);
}

export function serverHeaders(raw: HeaderInput[]): HeaderInput[] {
  if (raw.length > HEADERS_MAX) throw badUserInput(`At most ${HEADERS_MAX} headers`, 'headers');
  const seen = new Set<string>();
  return raw.map(({ name, value }) => {
    const lower = name.trim().toLowerCase();
    if (!HEADER_NAME.test(lower)) throw badUserInput(`"${name.slice(0, 100)}" is not a header name`, 'headers');
    if (RESERVED_HEADERS.has(lower)) throw badUserInput(`The ${lower} header is set by the connection itself`, 'headers');
    if (seen.has(lower)) throw badUserInput(`The ${lower} header is given twice`, 'headers');
    seen.add(lower);
    if (/[\r\n\0]/.test(value) || value.length > HEADER_VALUE_MAX) throw badUserInput(`The ${lower} header's value must be one line of at most ${HEADER_VALUE_MAX} characters`, 'headers');
    return { name: lower, value };
  });
}

export function serverTimeout(raw: number | null | undefined): number | null {
  if (raw === null || raw === undefined) return null;
  if (!Number.isInteger(raw) || raw < TIMEOUT_MIN_MS || raw > TIMEOUT_MAX_MS) throw badUserInput(`timeoutMs must be from ${TIMEOUT_MIN_MS} to ${TIMEOUT_MAX_MS}`, 'timeoutMs');
  return raw;
}

export function stdioCommand(raw: string | null | undefined, config: McpConfig): string {
  const name = raw?.trim() ?? '';
  const allowed = Object.keys(config.stdioCommands);
  if (!name) throw badUserInput('A STDIO server needs the name of an allow-listed command', 'command');
  if (!Object.hasOwn(config.stdioCommands, name)) {
    throw badUserInput(allowed.length ? `"${name.slice(0, 100)}" is not an allowed command; allowed: ${allowed.join(', ')}` : 'No STDIO commands are allowed on this platform', 'command');
  }
  return name;
}

export interface RawServerInput {
  name?: string | null;
  transport: McpTransport;
  url?: string | null;
  command?: string | null;
  fallbackUrls?: string[] | null;
  headers?: HeaderInput[] | null;
  timeoutMs?: number | null;
}

/** The whole settings of a server, checked (for registration, and for an update merged with what is stored). */
export async function checkedSettings(input: RawServerInput & { name: string }, config: McpConfig, checkUrl: UrlCheck): Promise<ServerSettings> {
  const name = serverName(input.name);
  const { transport } = input;
  const fallbacks = input.fallbackUrls ?? [];
  if (fallbacks.length > FALLBACK_URLS_MAX) throw badUserInput(`At most ${FALLBACK_URLS_MAX} fallback URLs`, 'fallbackUrls');
  if (transport === 'STDIO') {
    if (input.url) throw badUserInput('A STDIO server has a command, not a URL', 'url');
    if (fallbacks.length) throw badUserInput('A STDIO server has no fallback URLs', 'fallbackUrls');
    if (input.headers?.length) throw badUserInput('A STDIO server takes no headers', 'headers');
    return { name, transport, url: null, command: stdioCommand(input.command, config), fallbackUrls: [], headers: undefined, timeoutMs: serverTimeout(input.timeoutMs) };
  }
  if (input.command) throw badUserInput(`A ${transport} server has a URL, not a command`, 'command');
  if (!input.url) throw badUserInput(`A ${transport} server needs a url`, 'url');
  const url = await serverUrl(input.url, transport, 'url', checkUrl);
  const fallbackUrls: string[] = [];
  for (const fallback of fallbacks) fallbackUrls.push(await serverUrl(fallback, transport, 'fallbackUrls', checkUrl));
  return { name, transport, url, command: null, fallbackUrls, headers: input.headers ? serverHeaders(input.headers) : undefined, timeoutMs: serverTimeout(input.timeoutMs) };
}

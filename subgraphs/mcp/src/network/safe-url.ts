// The check a user's MCP server URL passes at registration and again before each connection.
import { type NetworkPolicy } from './address-policy.js';
import { resolveAllowedAddresses, systemLookup, type HostLookup } from './resolve-host.js';
import { UnsafeUrlError } from './unsafe-url-error.js';

export { UnsafeUrlError, type UnsafeUrlProblem } from './unsafe-url-error.js';

/** Streamable HTTP and HTTP+SSE servers, and WebSocket ones. */
const SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);

/**
 * Parses `raw` and resolves its host, refusing anything but http(s)/ws(s), credentials in the
 * URL, and hosts with any address `policy` does not allow. The WHATWG parser has already turned
 * spellings such as "0x7f.1", "2130706433" or "[::ffff:7f00:1]" into the addresses they are.
 * The addresses are only what DNS said now: connections must check again (createGuardedFetch,
 * guardedLookup), since a name can resolve elsewhere by then.
 */
export async function checkServerUrl(
  raw: string,
  policy: NetworkPolicy,
  lookup: HostLookup = systemLookup,
): Promise<{ url: URL; addresses: string[] }> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UnsafeUrlError('invalid-url', 'The server URL is not a valid URL');
  }
  if (!SCHEMES.has(url.protocol)) {
    throw new UnsafeUrlError('scheme', `The server URL must start with http://, https://, ws:// or wss://, not ${url.protocol}`);
  }
  // Secrets in a URL end up in logs and in redirects; servers that want them take a header.
  if (url.username || url.password) {
    throw new UnsafeUrlError('credentials', 'The server URL must not contain a user name or password');
  }
  try {
    const addresses = await resolveAllowedAddresses(url.hostname, policy, lookup);
    return { url, addresses: addresses.map(({ address }) => address) };
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnsafeUrlError('unresolvable', `${url.hostname} could not be resolved${code ? ` (${code})` : ''}`);
  }
}

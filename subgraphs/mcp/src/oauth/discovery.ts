// Finding how a server wants to be authorized, as the MCP authorization spec says: its protected
// resource metadata (RFC 9728) names the authorization server, whose metadata (RFC 8414, or
// OpenID discovery) gives the endpoints. Every request goes through the guarded fetch, so
// metadata cannot point us into a private network; the authorization endpoint, which the user's
// browser opens, must be http(s).
import { discoverOAuthServerInfo } from '@modelcontextprotocol/sdk/client/auth.js';
import { checkResourceAllowed } from '@modelcontextprotocol/sdk/shared/auth-utils.js';
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { badUserInput } from '@builderai/kit';
import type { FetchLike } from '../connections/open-client.js';
import { readableError } from '../connections/errors.js';

export interface AuthorizationServerInfo {
  authorizationServer: string;
  metadata: AuthorizationServerMetadata;
  /** The resource (RFC 8707) tokens are asked for; null when the server published no resource metadata. */
  resource: string | null;
  /** What the server says it needs, if it says. */
  scope: string | undefined;
}

/** Two URLs that name the same place (a trailing slash aside). */
export function sameUrl(a: string, b: string): boolean {
  const normal = (url: string) => new URL(url).href.replace(/\/$/, '');
  try {
    return normal(a) === normal(b);
  } catch {
    return false;
  }
}
const browsable = (url: string) => ['https:', 'http:'].includes(new URL(url).protocol);

export async function discoverAuthorizationServer(serverUrl: string, fetchFn: FetchLike): Promise<AuthorizationServerInfo> {
  let info: Awaited<ReturnType<typeof discoverOAuthServerInfo>>;
  try {
    info = await discoverOAuthServerInfo(serverUrl, { fetchFn });
  } catch (error) {
    throw badUserInput(`Could not read the server's authorization metadata: ${readableError(error)}`, 'serverId');
  }
  const { authorizationServerUrl, authorizationServerMetadata: metadata, resourceMetadata } = info;
  if (!metadata) throw badUserInput('The server does not use OAuth: it publishes no authorization server metadata', 'serverId');
  // RFC 8414 §3.3: metadata that names another issuer is not this server's.
  if (!sameUrl(metadata.issuer, authorizationServerUrl)) throw badUserInput(`The authorization server's metadata names another issuer (${metadata.issuer})`, 'serverId');
  if (!browsable(metadata.authorization_endpoint)) throw badUserInput('The authorization endpoint must be an http(s) URL', 'serverId');
  if (resourceMetadata && !checkResourceAllowed({ requestedResource: serverUrl, configuredResource: resourceMetadata.resource })) {
    throw badUserInput(`The server's resource metadata is for ${resourceMetadata.resource}, not this server`, 'serverId');
  }
  return {
    authorizationServer: authorizationServerUrl,
    metadata,
    resource: resourceMetadata?.resource ?? null,
    scope: resourceMetadata?.scopes_supported?.join(' ') || undefined,
  };
}

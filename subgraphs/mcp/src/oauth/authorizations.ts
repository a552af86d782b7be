// Authorizing a server for its owner: an authorization code + PKCE flow started from the API
// (the URL to open), finished by the callback the authorization server redirects the browser to
// (state found once, then gone; the code exchanged for tokens kept as the user's grant), and
// ended by the owner (the grant forgotten and revoked at the authorization server).
import { createHash, randomBytes } from 'node:crypto';
import { badUserInput, decryptAtRest, encryptAtRest, forbidden, unavailable, type Viewer } from '@builderai/kit';
import { exchangeAuthorization, registerClient, startAuthorization as authorizationRequest } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { McpServer } from '../generated/prisma/client.ts';
import type { McpApp } from '../context.js';
import { readableError } from '../connections/errors.js';
import { findServer } from '../domain/servers.js';
import { discoverAuthorizationServer, sameUrl, type AuthorizationServerInfo } from './discovery.js';
import { openGrant, revokeAtServer, saveGrant } from './grants.js';

type Deps = Pick<McpApp, 'db' | 'config' | 'secretsKey' | 'fetch' | 'grants' | 'pool' | 'logger' | 'redirectUrl' | 'publishEvents'>;

export const CALLBACK_PATH = '/oauth/callback';
const FLOW_KIND = 'mcp-oauth-flow';
const FLOW_TTL_MS = 10 * 60_000;
/** Unfinished authorizations kept per server; starting another drops the oldest. */
const OPEN_FLOWS_MAX = 5;
const CLIENT_NAME = 'BuilderAI';

interface FlowSecrets {
  codeVerifier: string;
  client: OAuthClientInformationFull;
  server: AuthorizationServerInfo;
  redirectUrl: string;
}

const hashState = (state: string) => createHash('sha256').update(state).digest('base64url');

async function ownHttpServer(deps: Deps, viewer: Viewer, serverId: string): Promise<McpServer & { url: string }> {
  const server = await findServer(deps, viewer, serverId);
  if (server.userId !== viewer.userId) throw forbidden("Only its owner may authorize a server");
  if (!server.url || (server.transport !== 'STREAMABLE_HTTP' && server.transport !== 'SSE')) throw badUserInput('Only STREAMABLE_HTTP and SSE servers use OAuth', 'serverId');
  return server as McpServer & { url: string };
}

/** The client registered with this authorization server for the user's earlier grant, or a new registration (RFC 7591). */
async function clientFor(deps: Deps, server: McpServer, info: AuthorizationServerInfo, redirectUrl: string): Promise<OAuthClientInformationFull> {
  const earlier = await deps.db.mcpOAuthGrant.findUnique({ where: { serverId_userId: { serverId: server.id, userId: server.userId } } });
  if (earlier && sameUrl(earlier.authorizationServer, info.authorizationServer)) {
    const { client } = await openGrant(deps, earlier);
    if (client.redirect_uris.includes(redirectUrl)) return client;
  }
  if (!info.metadata.registration_endpoint) throw badUserInput('The authorization server does not offer dynamic client registration, which connecting it needs', 'serverId');
  const supported = info.metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  const authMethod = ['client_secret_basic', 'client_secret_post', 'none'].find((method) => supported.includes(method)) ?? 'client_secret_basic';
  try {
    return await registerClient(info.authorizationServer, {
      metadata: info.metadata,
      clientMetadata: { client_name: CLIENT_NAME, redirect_uris: [redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: authMethod },
      scope: info.scope,
      fetchFn: deps.fetch,
    });
  } catch (error) {
    throw unavailable(`The authorization server refused to register ${CLIENT_NAME}: ${readableError(error)}`);
  }
}

/** Starts authorizing the owner's server: the URL to open in a browser, good for ten minutes. */
export async function startAuthorization(deps: Deps, viewer: Viewer, serverId: string): Promise<{ url: string; expiresAt: Date }> {
  const server = await ownHttpServer(deps, viewer, serverId);
  const info = await discoverAuthorizationServer(server.url, deps.fetch);
  const redirectUrl = deps.redirectUrl();
  const client = await clientFor(deps, server, info, redirectUrl);
  const state = randomBytes(32).toString('base64url');
  const { authorizationUrl, codeVerifier } = await authorizationRequest(info.authorizationServer, {
    metadata: info.metadata,
    clientInformation: client,
    redirectUrl,
    scope: info.scope,
    state,
    resource: info.resource ?? undefined,
  }).catch((error: unknown) => {
    throw badUserInput(`The authorization server cannot be used: ${readableError(error)}`, 'serverId');
  });
  const secrets: FlowSecrets = { codeVerifier, client, server: info, redirectUrl };
  const expiresAt = new Date(Date.now() + FLOW_TTL_MS);
  const open = await deps.db.mcpOAuthFlow.findMany({ where: { serverId: server.id }, orderBy: { createdAt: 'desc' }, select: { id: true } });
  await deps.db.$transaction([
    deps.db.mcpOAuthFlow.deleteMany({ where: { OR: [{ id: { in: open.slice(OPEN_FLOWS_MAX - 1).map((flow) => flow.id) } }, { serverId: server.id, expiresAt: { lt: new Date() } }] } }),
    deps.db.mcpOAuthFlow.create({ data: { stateHash: hashState(state), serverId: server.id, userId: server.userId, sealedFlow: await encryptAtRest(FLOW_KIND, secrets, deps.secretsKey), expiresAt } }),
    deps.db.mcpServer.update({ where: { id: server.id }, data: { authRequired: true } }),
  ]);
  return { url: authorizationUrl.href, expiresAt };
}

export interface CallbackParams {
  state?: string;
  code?: string;
  error?: string;
  errorDescription?: string;
  /** RFC 9207: who issued the code. */
  iss?: string;
}

export type CallbackResult = { ok: true; serverId: string; serverName: string } | { ok: false; serverId: string | null; reason: string };

/** Finishes an authorization: the state is used once, the code exchanged, the tokens kept for the flow's user. */
export async function finishAuthorization(deps: Deps, params: CallbackParams): Promise<CallbackResult> {
  const fail = (reason: string, serverId: string | null = null): CallbackResult => ({ ok: false, serverId, reason });
  if (!params.state || params.state.length > 200) return fail('The link is missing its state; start the authorization again');
  // Deleting is what makes the state good for one use, even with two callbacks at once.
  const flow = await deps.db.mcpOAuthFlow.delete({ where: { stateHash: hashState(params.state) } }).catch(() => null);
  if (!flow || flow.expiresAt.getTime() < Date.now()) return fail('This authorization is unknown or expired; start it again');
  if (params.error) return fail(`The authorization server did not authorize: ${params.error}${params.errorDescription ? ` (${params.errorDescription.slice(0, 300)})` : ''}`, flow.serverId);
  if (!params.code) return fail('The authorization server sent no code', flow.serverId);
  const secrets = await decryptAtRest<FlowSecrets>(FLOW_KIND, flow.sealedFlow, deps.secretsKey);
  const { server: info } = secrets;
  // A code from another authorization server than the one asked (a mix-up) is not exchanged.
  if (params.iss !== undefined && !sameUrl(params.iss, info.metadata.issuer)) return fail('The answer came from another authorization server than the one asked', flow.serverId);
  if (params.iss === undefined && (info.metadata as { authorization_response_iss_parameter_supported?: boolean }).authorization_response_iss_parameter_supported) return fail('The answer did not say which authorization server sent it', flow.serverId);
  const server = await deps.db.mcpServer.findUnique({ where: { id: flow.serverId } });
  if (!server || server.userId !== flow.userId) return fail('The server was removed meanwhile', flow.serverId);
  let tokens;
  try {
    tokens = await exchangeAuthorization(info.authorizationServer, {
      metadata: info.metadata,
      clientInformation: secrets.client,
      authorizationCode: params.code,
      codeVerifier: secrets.codeVerifier,
      redirectUri: secrets.redirectUrl,
      resource: info.resource ?? undefined,
      fetchFn: deps.fetch,
    });
  } catch (error) {
    return fail(`The authorization server did not give tokens: ${readableError(error)}`, flow.serverId);
  }
  if (tokens.token_type.toLowerCase() !== 'bearer') return fail(`The authorization server gave ${tokens.token_type} tokens, not Bearer`, flow.serverId);
  await saveGrant(deps, { serverId: server.id, userId: server.userId, server: info, client: secrets.client, tokens });
  deps.publishEvents();
  await afterGrantChanged(deps, server.id);
  return { ok: true, serverId: server.id, serverName: server.name };
}

/** Forgets the owner's grant for the server and revokes it at the authorization server. */
export async function revokeAuthorization(deps: Deps, viewer: Viewer, serverId: string): Promise<McpServer> {
  const server = await ownHttpServer(deps, viewer, serverId);
  const grant = await deps.db.mcpOAuthGrant.findUnique({ where: { serverId_userId: { serverId: server.id, userId: server.userId } } });
  if (grant) {
    await deps.db.mcpOAuthGrant.delete({ where: { id: grant.id } }).catch(() => undefined);
    await afterGrantChanged(deps, server.id);
    await revokeAtServer(deps, await openGrant(deps, grant));
  }
  return server;
}

/** Sessions opened with the earlier tokens (or none) are closed; the next call uses the grant as it is. */
async function afterGrantChanged(deps: Deps, serverId: string): Promise<void> {
  deps.grants.forget(serverId);
  await deps.pool.closeServer(serverId);
}

import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { getOAuthProtectedResourceMetadataUrl, mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { mcpSessions, type McpRequest } from './mcp-sessions.js';
import { InMemoryOAuthProvider, type SubjectAuthInfo } from './oauth-provider.js';
import { registerTestTool } from './tools.js';

// An MCP server protected as the MCP authorization spec says, and its own authorization server:
// 401 + WWW-Authenticate pointing at protected resource metadata (RFC 9728), authorization server
// metadata (RFC 8414), dynamic client registration, authorization code + PKCE, refresh tokens and
// revocation, all on 127.0.0.1 through the SDK's express handlers.

export interface OAuthMcpServerOptions {
  /** Lifetime of access tokens (default 300 s). */
  accessTokenTtlSeconds?: number;
}

export interface OAuthMcpServer {
  /** The MCP endpoint (Streamable HTTP), http://127.0.0.1:<port>/mcp. */
  url: string;
  /** The authorization server's issuer, http://127.0.0.1:<port>/ (same origin). */
  issuer: string;
  /** Token responses so far (code exchanges and refreshes). */
  readonly tokensIssued: number;
  /**
   * refresh_token grants so far. Refresh tokens rotate strictly: a spent one gets invalid_grant,
   * so two concurrent refreshes with the same token leave the second client to authorize again.
   */
  readonly refreshes: number;
  /** Revokes an access token, or a refresh token and its whole grant. */
  revoke(token: string): void;
  /** Revokes every token issued so far, as an authorization server does when a user disconnects the client. */
  revokeAll(): void;
  /** Tokens revoked through the revocation endpoint (RFC 7009) so far. */
  readonly revocations: number;
  /** MCP requests refused with 401 so far (no token, or an expired or revoked one). */
  readonly refusedRequests: number;
  /** Who the next authorizations without login_hint are approved for (default 'test-user'). */
  setUser(name: string): void;
  /** Expires every access token issued so far, so the next call must refresh. */
  expireAccessTokens(): void;
  /** Live MCP sessions. */
  sessions(): number;
  close(): Promise<void>;
}

type ExpressRequest = McpRequest & { body?: unknown };

export async function startOAuthMcpServer(options: OAuthMcpServerOptions = {}): Promise<OAuthMcpServer> {
  // Host-header checks for 127.0.0.1 and a JSON body parser come with the SDK's app.
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  const listener = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  // Routes go in once the port, and so every URL, is known; express looks them up per request.
  const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  const issuer = new URL(`${origin}/`);
  const mcpUrl = new URL(`${origin}/mcp`);
  const provider = new InMemoryOAuthProvider(mcpUrl, options.accessTokenTtlSeconds ?? 300);

  const noRateLimit = { rateLimit: false as const };
  app.use(
    mcpAuthRouter({
      provider,
      issuerUrl: issuer,
      resourceServerUrl: mcpUrl,
      resourceName: 'testkit OAuth MCP server',
      authorizationOptions: noRateLimit,
      tokenOptions: noRateLimit,
      clientRegistrationOptions: noRateLimit,
      revocationOptions: noRateLimit,
    }),
  );

  // Sessions stay with the user who opened them; whoAmI answers from the token of each call.
  const subjectOf = (request: McpRequest) => (request.auth as SubjectAuthInfo | undefined)?.extra.subject;
  const sessions = mcpSessions(
    () => {
      const server = new McpServer({ name: 'testkit-oauth-server', version: '1.0.0' });
      registerTestTool(server, {
        name: 'whoAmI',
        description: 'Names the user whose access token made this call',
        handler: (_args, { authInfo }) => (authInfo as SubjectAuthInfo).extra.subject,
      });
      return server;
    },
    { ownerOf: subjectOf },
  );

  const bearer = requireBearerAuth({
    verifier: provider,
    resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl),
    expectedResource: mcpUrl,
  });
  let refusedRequests = 0;
  const countRefused = (_request: unknown, response: ServerResponse, next: () => void) => {
    response.on('finish', () => {
      if (response.statusCode === 401) refusedRequests++;
    });
    next();
  };
  app.all('/mcp', countRefused, bearer, async (request: ExpressRequest, response: ServerResponse) => {
    try {
      await sessions.streamable(request, response, request.body);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(String(error));
    }
  });

  return {
    url: mcpUrl.href,
    issuer: issuer.href,
    get tokensIssued() {
      return provider.tokensIssued;
    },
    get refreshes() {
      return provider.refreshes;
    },
    revoke: (token) => provider.revoke(token),
    revokeAll: () => provider.revokeAll(),
    get revocations() {
      return provider.revocations;
    },
    get refusedRequests() {
      return refusedRequests;
    },
    setUser: (name) => {
      provider.currentUser = name;
    },
    expireAccessTokens: () => provider.expireAccessTokens(),
    sessions: () => sessions.size,
    async close() {
      await sessions.closeAll();
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      listener.closeAllConnections();
      await closed;
    },
  };
}

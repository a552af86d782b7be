import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import { InvalidGrantError, InvalidScopeError, InvalidTargetError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthClientInformationFull, OAuthTokenRevocationRequest, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

// An in-memory OAuth 2.1 authorization server for one protected resource, behind the SDK's
// handlers (which check client authentication, redirect URIs and PKCE before calling in here).
// Authorization is approved at once for the current user, so tests need no login page.

/** Access tokens carry who they were issued for in `AuthInfo.extra.subject`. */
export interface SubjectAuthInfo extends AuthInfo {
  extra: { subject: string };
}

interface Grant {
  id: string;
  clientId: string;
  subject: string;
  scopes: string[];
  resource: URL;
}

interface PendingCode {
  grant: Grant;
  codeChallenge: string;
  redirectUri: string;
  expiresAt: number;
}

const CODE_TTL_MS = 60_000;

// What express hands authorize(): the response, with the request it answers.
interface AuthorizeResponse {
  req: IncomingMessage & { query?: Record<string, unknown>; body?: Record<string, unknown> };
  redirect(url: string): void;
}

export class InMemoryOAuthProvider implements OAuthServerProvider {
  /** Who /authorize approves when the request names nobody with login_hint. */
  currentUser = 'test-user';
  tokensIssued = 0;
  refreshes = 0;
  revocations = 0;

  private readonly clients = new Map<string, OAuthClientInformationFull>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly accessTokens = new Map<string, { grant: Grant; expiresAtMs: number }>();
  private readonly refreshTokens = new Map<string, Grant>();

  constructor(
    /** The MCP endpoint: the only resource (RFC 8707) tokens are issued for. */
    private readonly resource: URL,
    private readonly accessTokenTtlSeconds: number,
  ) {}

  readonly clientsStore: OAuthRegisteredClientsStore = {
    getClient: (clientId) => this.clients.get(clientId),
    // Dynamic client registration: the SDK's handler has already generated client_id (and a secret).
    registerClient: (client) => {
      const full = client as OAuthClientInformationFull;
      this.clients.set(full.client_id, full);
      return full;
    },
  };

  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: AuthorizeResponse): Promise<void> {
    const request = res.req;
    const hint = (request.method === 'POST' ? request.body : request.query)?.login_hint;
    const grant: Grant = {
      id: randomUUID(),
      clientId: client.client_id,
      subject: typeof hint === 'string' && hint ? hint : this.currentUser,
      scopes: params.scopes ?? [],
      resource: this.checkResource(params.resource),
    };
    const code = token('code');
    this.codes.set(code, { grant, codeChallenge: params.codeChallenge, redirectUri: params.redirectUri, expiresAt: Date.now() + CODE_TTL_MS });
    const target = new URL(params.redirectUri);
    target.searchParams.set('code', code);
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    res.redirect(target.href);
  }

  async challengeForAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string): Promise<string> {
    return this.pendingCode(client, authorizationCode).codeChallenge;
  }

  async exchangeAuthorizationCode(
    client: OAuthClientInformationFull,
    authorizationCode: string,
    _codeVerifier?: string,
    redirectUri?: string,
    resource?: URL,
  ): Promise<OAuthTokens> {
    const pending = this.pendingCode(client, authorizationCode);
    // A code is good for one exchange only.
    this.codes.delete(authorizationCode);
    if (redirectUri !== undefined && redirectUri !== pending.redirectUri) throw new InvalidGrantError('redirect_uri differs from the authorization request');
    if (resource && resource.href !== pending.grant.resource.href) throw new InvalidTargetError('resource differs from the authorization request');
    return this.issue(pending.grant);
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string, scopes?: string[], resource?: URL): Promise<OAuthTokens> {
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant || grant.clientId !== client.client_id) throw new InvalidGrantError('unknown refresh token');
    if (scopes?.some((scope) => !grant.scopes.includes(scope))) throw new InvalidScopeError('a refresh cannot widen the grant');
    if (resource && resource.href !== grant.resource.href) throw new InvalidTargetError('resource differs from the grant');
    // Refresh tokens rotate (OAuth 2.1 for public clients): the one used is spent.
    this.refreshTokens.delete(refreshToken);
    this.refreshes++;
    return this.issue(scopes?.length ? { ...grant, scopes } : grant);
  }

  async verifyAccessToken(accessToken: string): Promise<SubjectAuthInfo> {
    const entry = this.accessTokens.get(accessToken);
    // InvalidTokenError is what makes the bearer middleware answer 401 (anything else is a 500).
    if (!entry) throw new InvalidTokenError('unknown or revoked token');
    const { grant, expiresAtMs } = entry;
    // The middleware itself refuses expired tokens, and tokens without expiresAt.
    return { token: accessToken, clientId: grant.clientId, scopes: grant.scopes, expiresAt: expiresAtMs / 1000, resource: grant.resource, extra: { subject: grant.subject } };
  }

  async revokeToken(client: OAuthClientInformationFull, request: OAuthTokenRevocationRequest): Promise<void> {
    const grant = this.accessTokens.get(request.token)?.grant ?? this.refreshTokens.get(request.token);
    if (grant?.clientId !== client.client_id) return;
    this.revoke(request.token);
    this.revocations++;
  }

  revokeAll(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /** Revokes an access token, or a refresh token together with every token of its grant (RFC 7009). */
  revoke(tokenValue: string): void {
    if (this.accessTokens.delete(tokenValue)) return;
    const grant = this.refreshTokens.get(tokenValue);
    if (!grant) return;
    for (const [value, entry] of this.accessTokens) if (entry.grant.id === grant.id) this.accessTokens.delete(value);
    for (const [value, other] of this.refreshTokens) if (other.id === grant.id) this.refreshTokens.delete(value);
  }

  /** Makes every access token issued so far expired, as if its TTL had passed. */
  expireAccessTokens(): void {
    for (const entry of this.accessTokens.values()) entry.expiresAtMs = Math.min(entry.expiresAtMs, Date.now() - 1000);
  }

  private pendingCode(client: OAuthClientInformationFull, code: string): PendingCode {
    const pending = this.codes.get(code);
    if (!pending || pending.grant.clientId !== client.client_id || pending.expiresAt < Date.now()) throw new InvalidGrantError('unknown or expired authorization code');
    return pending;
  }

  // Without a resource parameter the token is still bound to the one resource served here.
  private checkResource(requested: URL | undefined): URL {
    if (requested && requested.href !== this.resource.href) throw new InvalidTargetError(`this server only issues tokens for ${this.resource.href}`);
    return this.resource;
  }

  private issue(grant: Grant): OAuthTokens {
    const access = token('at');
    const refresh = token('rt');
    this.accessTokens.set(access, { grant, expiresAtMs: Date.now() + this.accessTokenTtlSeconds * 1000 });
    this.refreshTokens.set(refresh, grant);
    this.tokensIssued++;
    return { access_token: access, token_type: 'Bearer', expires_in: this.accessTokenTtlSeconds, refresh_token: refresh, scope: grant.scopes.join(' ') || undefined };
  }
}

function token(kind: string): string {
  return `${kind}_${randomBytes(24).toString('base64url')}`;
}

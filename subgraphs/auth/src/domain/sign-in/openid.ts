// An OpenID Connect provider (Google, a company's Keycloak or Entra ID...), with openid-client:
// discovery from the issuer (kept for a day), authorization code with PKCE, state and nonce, and
// the ID token verified (signature against the provider's JWKS, issuer, audience, expiry,
// nonce); the email from the ID token or, when it is not there, from userinfo.
import * as oidc from 'openid-client';
import { ProviderRefusedError, ProviderUnavailableError, type AuthorizationRequest, type AuthorizationResponse, type ProviderAccount, type SignInProvider } from './provider.js';

const DISCOVERY_TTL_MS = 24 * 60 * 60 * 1000;
const TIMEOUT_SECONDS = 10;

export interface OpenIdOptions {
  id: string;
  name: string;
  icon: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** Plain http to the provider (only ever outside production). */
  allowHttp: boolean;
}

/** openid-client's errors: the provider's own refusals, and checks of its answer that failed. */
export function providerError(error: unknown, name: string): Error {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    return new ProviderRefusedError(`${name} refused: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`);
  }
  if (error instanceof oidc.ClientError) {
    const cause = error.cause as Error | undefined;
    // Network failures and timeouts are not the answer's fault.
    if (error.code === 'OAUTH_TIMEOUT' || cause instanceof TypeError) return new ProviderUnavailableError(`${name} did not answer`);
    // The check's own words name the claim (nonce, exp, aud...): what someone debugging a provider needs.
    return new ProviderRefusedError(`${name}'s answer did not check out: ${cause?.message ?? error.message}`);
  }
  if (error instanceof TypeError) return new ProviderUnavailableError(`${name} did not answer`);
  return new ProviderUnavailableError(`${name}: ${(error as Error)?.message ?? String(error)}`);
}

export class OpenIdProvider implements SignInProvider {
  readonly id: string;
  readonly name: string;
  readonly icon: string;
  private discovered?: { at: number; config: Promise<oidc.Configuration> };

  constructor(private readonly options: OpenIdOptions) {
    this.id = options.id;
    this.name = options.name;
    this.icon = options.icon;
  }

  private configuration(): Promise<oidc.Configuration> {
    if (!this.discovered || Date.now() - this.discovered.at > DISCOVERY_TTL_MS) {
      const { issuer, clientId, clientSecret, allowHttp } = this.options;
      const config = oidc
        .discovery(new URL(issuer), clientId, { client_secret: clientSecret }, oidc.ClientSecretPost(clientSecret), { execute: allowHttp ? [oidc.allowInsecureRequests] : [], timeout: TIMEOUT_SECONDS })
        .catch((error: unknown) => {
          // A failed discovery is tried again by the next sign-in.
          this.discovered = undefined;
          throw new ProviderUnavailableError(`${this.name} could not be reached (${(error as Error).message})`);
        });
      this.discovered = { at: Date.now(), config };
    }
    return this.discovered.config;
  }

  async authorizationUrl({ redirectUri, state, nonce, codeVerifier }: AuthorizationRequest): Promise<URL> {
    const config = await this.configuration();
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.options.scopes.join(' '),
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  async account(response: AuthorizationResponse): Promise<ProviderAccount> {
    const config = await this.configuration();
    const callback = new URL(response.redirectUri);
    callback.searchParams.set('code', response.code);
    callback.searchParams.set('state', response.state);
    if (response.iss !== undefined) callback.searchParams.set('iss', response.iss);
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: response.codeVerifier,
        expectedState: response.state,
        expectedNonce: response.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      let { email, email_verified: verified, name } = claims as { email?: unknown; email_verified?: unknown; name?: unknown };
      if (email === undefined && config.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        ({ email, email_verified: verified, name } = info as typeof info & { email_verified?: unknown });
      }
      return {
        subject: claims.sub,
        email: typeof email === 'string' ? email : null,
        emailVerified: verified === true,
        name: typeof name === 'string' ? name : null,
      };
    } catch (error) {
      throw providerError(error, this.name);
    }
  }
}

// GitHub, which speaks OAuth 2.0 without OpenID Connect: authorization code with PKCE and state
// (openid-client with GitHub's endpoints), then who the person is from its API: the numeric
// user id as the subject (a login can be renamed and reused), and the primary email only if
// GitHub has verified it.
import * as oidc from 'openid-client';
import { providerError } from './openid.js';
import { ProviderRefusedError, ProviderUnavailableError, type AuthorizationRequest, type AuthorizationResponse, type ProviderAccount, type SignInProvider } from './provider.js';

const TIMEOUT_MS = 10_000;

export interface GitHubOptions {
  clientId: string;
  clientSecret: string;
  /** https://github.com, or a GitHub Enterprise Server. */
  url: string;
  apiUrl: string;
  allowHttp: boolean;
}

interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
}

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export class GitHubProvider implements SignInProvider {
  readonly id = 'github';
  readonly name = 'GitHub';
  readonly icon = 'github';
  private readonly config: oidc.Configuration;

  constructor(private readonly options: GitHubOptions) {
    this.config = new oidc.Configuration(
      { issuer: options.url, authorization_endpoint: `${options.url}/login/oauth/authorize`, token_endpoint: `${options.url}/login/oauth/access_token` },
      options.clientId,
      { client_secret: options.clientSecret },
      oidc.ClientSecretPost(options.clientSecret),
    );
    if (options.allowHttp) oidc.allowInsecureRequests(this.config);
  }

  async authorizationUrl({ redirectUri, state, codeVerifier }: AuthorizationRequest): Promise<URL> {
    return oidc.buildAuthorizationUrl(this.config, {
      redirect_uri: redirectUri,
      scope: 'read:user user:email',
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      // Always ask which account: a shared computer's last GitHub user is not assumed.
      prompt: 'select_account',
    });
  }

  private async api<T>(path: string, accessToken: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.options.apiUrl}${path}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/vnd.github+json', 'user-agent': 'BuilderAI' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new ProviderUnavailableError('GitHub did not answer');
    }
    if (response.status === 401 || response.status === 403) throw new ProviderRefusedError(`GitHub refused the token (HTTP ${response.status})`);
    if (!response.ok) throw new ProviderUnavailableError(`GitHub answered HTTP ${response.status}`);
    return (await response.json()) as T;
  }

  async account(response: AuthorizationResponse): Promise<ProviderAccount> {
    const callback = new URL(response.redirectUri);
    callback.searchParams.set('code', response.code);
    callback.searchParams.set('state', response.state);
    let accessToken: string;
    try {
      const tokens = await oidc.authorizationCodeGrant(this.config, callback, { pkceCodeVerifier: response.codeVerifier, expectedState: response.state });
      accessToken = tokens.access_token;
    } catch (error) {
      throw providerError(error, this.name);
    }
    const user = await this.api<GitHubUser>('/user', accessToken);
    if (typeof user.id !== 'number') throw new ProviderUnavailableError('GitHub answered without a user id');
    const emails = await this.api<GitHubEmail[]>('/user/emails', accessToken);
    const primary = Array.isArray(emails) ? emails.find((entry) => entry.primary) : undefined;
    return { subject: String(user.id), email: primary?.email ?? null, emailVerified: primary?.verified === true, name: user.name || user.login || null };
  }
}

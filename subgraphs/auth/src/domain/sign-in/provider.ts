// What a sign-in provider does for us, whatever its protocol: the URL that sends the browser to
// it, and, from the code it sends back, who the person is there (checked as its protocol says).

/** The account at the provider, as it vouches for it. */
export interface ProviderAccount {
  /** Its stable id for the account (never the email, which can change hands). */
  subject: string;
  email: string | null;
  /** The provider says the address belongs to the account. */
  emailVerified: boolean;
  name: string | null;
}

export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface AuthorizationResponse extends AuthorizationRequest {
  code: string;
  /** The issuer the response says it comes from (RFC 9207), when the provider sends it. */
  iss?: string;
}

export interface SignInProvider {
  id: string;
  name: string;
  /** A hint for the button: google, github, openid... */
  icon: string;
  authorizationUrl(request: AuthorizationRequest): Promise<URL>;
  account(response: AuthorizationResponse): Promise<ProviderAccount>;
}

/** The provider's answer did not check out (a bad code, a forged or expired ID token...). */
export class ProviderRefusedError extends Error {
  override name = 'ProviderRefusedError';
}

/** The provider could not be reached or answered nonsense. */
export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError';
}

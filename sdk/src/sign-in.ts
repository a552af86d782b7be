// Signing in with a provider from a web app: `startSignIn` gives the provider's URL and its
// state; keep the state (sessionStorage) and send the browser to the URL. On the redirect page,
// `readSignInRedirect(location.href, keptState)` checks the state is the one this browser kept
// (so nobody can finish their own sign-in in someone else's browser) and gives what
// `completeSignIn` takes.

export class SignInRedirectError extends Error {
  override name = 'SignInRedirectError';
  constructor(
    /** The provider's error (access_denied...), or state_mismatch / missing_code. */
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SignInRedirect {
  code: string;
  state: string;
  /** The issuer, when the provider says it (pass it on: completeSignIn checks it). */
  iss?: string;
}

export function readSignInRedirect(url: string | URL, keptState: string): SignInRedirect {
  const params = new URL(url).searchParams;
  const error = params.get('error');
  if (error) throw new SignInRedirectError(error, params.get('error_description') ?? `The provider did not sign you in (${error})`);
  const state = params.get('state');
  if (!state || !keptState || state !== keptState) throw new SignInRedirectError('state_mismatch', 'This sign-in was not started in this browser; start it again');
  const code = params.get('code');
  if (!code) throw new SignInRedirectError('missing_code', 'The provider sent no code; start the sign-in again');
  const iss = params.get('iss');
  return { code, state, ...(iss && { iss }) };
}

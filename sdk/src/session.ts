// The token lifecycle, for a client given `session`: it keeps the tokens login, register and
// refreshToken return (or the app hands it), refreshes the access token shortly before it
// expires or once when the API answers UNAUTHENTICATED, and tells the app through `onTokens`
// so it can store them. One refresh is in flight at a time for every caller: refresh tokens
// rotate, and presenting one twice would end the session (reuse detection).
import { BuilderAIError } from './errors.js';
import { RefreshTokenDocument } from './generated/sdk.js';
import type { Send } from './transport.js';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ISO 8601); read from the token itself when absent. */
  accessTokenExpiresAt?: string;
  refreshTokenExpiresAt?: string;
}

export interface SessionOptions {
  /** Tokens the app kept from before (e.g. in storage). */
  tokens?: SessionTokens | null;
  /** Called with new tokens after login, register or a refresh, and with null once they are gone. */
  onTokens?: (tokens: SessionTokens | null) => void;
  /** Refresh this long before the access token expires (default 30 s). */
  refreshBeforeSeconds?: number;
}

export interface Session {
  /** The tokens held now, or null. */
  tokens(): SessionTokens | null;
  /** Replaces the tokens (null forgets them); onTokens is told. */
  setTokens(tokens: SessionTokens | null): void;
}

/** The operations whose answer carries new tokens, and the field that holds them. */
const ISSUING = new Map([
  ['Login', 'login'],
  ['Register', 'register'],
  ['RefreshToken', 'refreshToken'],
  ['CompleteSignIn', 'completeSignIn'],
  ['ConfirmSignInLink', 'confirmSignInLink'],
]);
/** Operations that need no access token (and must not be refused for an expired one). */
const ANONYMOUS = new Set([...ISSUING.keys(), 'RequestPasswordReset', 'ResetPassword', 'SignInProviders', 'StartSignIn']);
const ENDING = new Set(['Logout', 'LogoutAll']);

const operationName = (query: string) => /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query)?.[1] ?? '';

/** The access token's expiry in ms, from the answer or from the token's own `exp`. */
function expiryOf(tokens: SessionTokens): number | undefined {
  if (tokens.accessTokenExpiresAt) return Date.parse(tokens.accessTokenExpiresAt);
  try {
    const payload = tokens.accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const exp = (JSON.parse(atob(payload)) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function tokensIn(value: unknown): SessionTokens | undefined {
  const payload = value as Partial<SessionTokens> | null | undefined;
  if (typeof payload?.accessToken !== 'string' || typeof payload.refreshToken !== 'string') return undefined;
  const { accessToken, refreshToken, accessTokenExpiresAt, refreshTokenExpiresAt } = payload;
  return { accessToken, refreshToken, accessTokenExpiresAt, refreshTokenExpiresAt };
}

const isUnauthenticated = (error: unknown) => error instanceof BuilderAIError && error.code === 'UNAUTHENTICATED';

export interface ManagedSession {
  session: Session;
  /** Sends a query or mutation with the session's access token, renewing it as needed. */
  send(query: string, variables: unknown): Promise<unknown>;
  /** The access token to use now, refreshed first when it is about to expire. */
  accessToken(): Promise<string | undefined>;
  /**
   * After the API refused `refused`: the token to try again with (refreshed unless another call
   * already did), or undefined when the session is over.
   */
  renew(refused: string | undefined): Promise<string | undefined>;
}

/** A Send that holds and renews the session's tokens around every request. */
export function createSession(send: Send, options: SessionOptions): ManagedSession {
  let current = options.tokens ?? null;
  let refreshing: Promise<SessionTokens | null> | undefined;
  const marginMs = (options.refreshBeforeSeconds ?? 30) * 1000;

  const setTokens = (tokens: SessionTokens | null) => {
    current = tokens;
    options.onTokens?.(tokens);
  };

  async function exchange(used: SessionTokens): Promise<SessionTokens | null> {
    try {
      const data = await send<Record<string, unknown>>(RefreshTokenDocument.toString(), { token: used.refreshToken }, undefined);
      const renewed = tokensIn(data.refreshToken)!;
      // A login meanwhile wins over this refresh.
      if (current === used) setTokens(renewed);
      return current;
    } catch (error) {
      // The refresh token is spent, expired or revoked: the session is over, and the calls waiting
      // for it fail UNAUTHENTICATED (a login meanwhile is used instead).
      if (!isUnauthenticated(error)) throw error;
      if (current !== used) return current;
      setTokens(null);
      throw error;
    }
  }

  /** One refresh for every caller that needs one now. */
  function refresh(): Promise<SessionTokens | null> {
    if (!current) return Promise.resolve(null);
    refreshing ??= exchange(current).finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  async function accessToken(): Promise<string | undefined> {
    if (refreshing) return (await refreshing)?.accessToken;
    if (!current) return undefined;
    const expiry = expiryOf(current);
    if (expiry !== undefined && expiry - Date.now() <= marginMs) return (await refresh())?.accessToken;
    return current.accessToken;
  }

  async function request(query: string, variables: unknown): Promise<unknown> {
    const name = operationName(query);
    const token = ANONYMOUS.has(name) ? undefined : await accessToken();
    let data: Record<string, unknown>;
    try {
      data = await send<Record<string, unknown>>(query, variables, token);
    } catch (error) {
      if (ENDING.has(name) && isUnauthenticated(error)) setTokens(null);
      if (!token || !isUnauthenticated(error)) throw error;
      // Refused although we thought it valid: refresh once (unless another call already did), then retry once.
      const renewed = current && current.accessToken !== token ? current : await refresh();
      if (!renewed) throw error;
      data = await send<Record<string, unknown>>(query, variables, renewed.accessToken);
    }
    const issued = ISSUING.has(name) ? tokensIn(data[ISSUING.get(name)!]) : undefined;
    if (issued) setTokens(issued);
    if (ENDING.has(name)) setTokens(null);
    return data;
  }

  async function renew(refused: string | undefined): Promise<string | undefined> {
    try {
      if (refreshing) return (await refreshing)?.accessToken;
      if (current && current.accessToken !== refused) return current.accessToken;
      return (await refresh())?.accessToken;
    } catch (error) {
      if (isUnauthenticated(error)) return undefined;
      throw error;
    }
  }

  return { session: { tokens: () => current, setTokens }, send: request, accessToken, renew };
}

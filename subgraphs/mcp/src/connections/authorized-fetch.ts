// Requests to an OAuth-protected server carry the user's access token, and only to that server's
// origin. A 401 asks for another token once (refreshed, or one another instance refreshed); a
// server that still refuses, or a user without a grant, is AuthorizationRequiredError. A 401 is
// the server answering unread, so sending the request again cannot run a tool twice.
import type { FetchLike } from './open-client.js';

/** Where a server's access tokens come from, for one user. */
export interface ServerAuthorization {
  /** The token to send now (refreshed first when due), or null when the user has no usable grant. */
  token(): Promise<string | null>;
  /** The server refused `token` (null: it asked for authorization): a token to try once more, or null. */
  refused(token: string | null): Promise<string | null>;
}

export class AuthorizationRequiredError extends Error {
  override name = 'AuthorizationRequiredError';
}

function withBearer(headers: HeadersInit | undefined, token: string | null): Headers {
  const merged = new Headers(headers);
  if (token) merged.set('authorization', `Bearer ${token}`);
  return merged;
}

const requestUrl = (input: string | URL) => new URL(typeof input === 'string' ? input : input.href);

export function authorizedFetch(fetch: FetchLike, serverOrigin: string, authorization: ServerAuthorization): FetchLike {
  return async (input, init) => {
    if (requestUrl(input).origin !== serverOrigin) return fetch(input, init);
    const send = (token: string | null) => fetch(input, { ...init, headers: withBearer(init?.headers, token) });
    const token = await authorization.token();
    const first = await send(token);
    if (first.status !== 401) return first;
    await first.body?.cancel().catch(() => undefined);
    const next = await authorization.refused(token);
    if (next === null) throw new AuthorizationRequiredError(token ? 'the server no longer accepts your authorization; authorize again (startMcpAuthorization)' : 'the server requires authorization (startMcpAuthorization)');
    const second = await send(next);
    if (second.status !== 401) return second;
    await second.body?.cancel().catch(() => undefined);
    throw new AuthorizationRequiredError('the server refused a freshly refreshed token; authorize again (startMcpAuthorization)');
  };
}

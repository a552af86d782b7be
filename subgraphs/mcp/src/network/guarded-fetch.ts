// The fetch the MCP transports (Streamable HTTP, HTTP+SSE, OAuth discovery) use for servers
// users registered: every connection, redirects included, goes only to an address the policy
// allows, and that is checked on the address the socket is opened to, not on an earlier answer.
import { isIP } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { isAllowedAddress, type NetworkPolicy } from './address-policy.js';
import { toGlobalResponse } from './global-response.js';
import { guardedLookup } from './guarded-lookup.js';
import { bridgeSignal } from './request-signal.js';
import { type HostLookup } from './resolve-host.js';
import { UnsafeUrlError } from './unsafe-url-error.js';

export { guardedLookup } from './guarded-lookup.js';

/** The SDK's FetchLike. */
export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** A FetchLike that owns a connection pool; `close` ends its connections. */
export type GuardedFetch = FetchLike & { close(): Promise<void> };

export interface GuardedFetchOptions {
  /** Resolves host names (default: the system resolver). */
  lookup?: HostLookup;
  /** How long opening a connection may take, DNS included (default 10 s). */
  connectTimeoutMs?: number;
}

export function createGuardedFetch(policy: NetworkPolicy, options: GuardedFetchOptions = {}): GuardedFetch {
  // Host names: the socket's own lookup resolves, checks and hands over only checked addresses;
  // TLS SNI and the Host header stay the URL's host name, as the URL is not rewritten.
  const connectByName = buildConnector({ lookup: guardedLookup(policy, options.lookup), timeout: options.connectTimeoutMs ?? 10_000 });
  const connect: buildConnector.connector = (target, callback) => {
    // Node opens a socket to an IP literal without any lookup, so literals are checked here:
    // this covers the first request and every redirect the fetch follows.
    if (isIP(target.hostname)) {
      const verdict = isAllowedAddress(target.hostname, policy);
      if (!verdict.ok) {
        callback(new UnsafeUrlError('address', `${target.hostname} is ${verdict.label}; only public addresses can be reached`), null);
        return;
      }
    }
    connectByName(target, callback);
  };
  // No body timeout: an event stream stays open, idle, for as long as its session, and the
  // caller's signal is what ends it.
  const agent = new Agent({ connect, bodyTimeout: 0 });

  const guardedFetch: FetchLike = async (input, init = {}) => {
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UnsafeUrlError('scheme', `Only http:// and https:// can be fetched, not ${url.protocol}`);
    }
    const request = bridgeSignal(init.signal);
    try {
      const response = await undiciFetch(url, { ...(init as UndiciRequestInit), signal: request.signal, dispatcher: agent });
      return toGlobalResponse(response, request.release);
    } catch (error) {
      request.release();
      throw refusalIn(error) ?? error;
    }
  };
  return Object.assign(guardedFetch, { close: () => agent.close() });
}

/** The refusal behind fetch's generic "fetch failed", so the user reads why. */
function refusalIn(error: unknown): UnsafeUrlError | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof UnsafeUrlError) return cause;
  }
  return undefined;
}

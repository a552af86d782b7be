// A resolver for sockets (net, tls, http, ws) that only ever hands out allowed addresses: the
// socket connects to the very address that was checked, so DNS cannot answer a public address
// to a check and a private one to the connection.
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { type NetworkPolicy } from './address-policy.js';
import { resolveAllowedAddresses, systemLookup, type HostLookup } from './resolve-host.js';

type LookupCallback = Parameters<LookupFunction>[2];

/**
 * A `lookup` for `net.connect` options and for `new WebSocket(url, { lookup })`. Node connects
 * to an IP literal without calling it, so a URL's host must also pass checkServerUrl.
 */
export function guardedLookup(policy: NetworkPolicy, lookup: HostLookup = systemLookup): LookupFunction {
  return (hostname: string, options: LookupOptions | LookupCallback, callback?: LookupCallback) => {
    // dns.lookup's (hostname, callback) form, for callers that use it.
    if (typeof options === 'function') [options, callback] = [{}, options];
    const done = callback as LookupCallback;
    const fail = done as (error: NodeJS.ErrnoException) => void;
    const wanted = familyNumber(options.family);
    resolveAllowedAddresses(hostname, policy, lookup).then(
      (addresses: LookupAddress[]) => {
        const usable = wanted ? addresses.filter((entry) => entry.family === wanted) : addresses;
        if (usable.length === 0) return fail(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }));
        if (options.all) return done(null, usable);
        done(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => fail(error),
    );
  };
}

function familyNumber(family: LookupOptions['family']): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

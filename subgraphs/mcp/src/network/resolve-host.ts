// Resolves a host to every address it has and refuses it when any of them is not allowed:
// one public answer next to a private one is how a name reaches an internal service.
import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { isAllowedAddress, type NetworkPolicy } from './address-policy.js';
import { UnsafeUrlError } from './unsafe-url-error.js';

/** Every address of a host name; injectable so tests can answer what DNS would. */
export type HostLookup = (hostname: string) => Promise<LookupAddress[]>;

/** The system resolver (getaddrinfo, so /etc/hosts too), every address in its order. */
export const systemLookup: HostLookup = (hostname) => dns.lookup(hostname, { all: true });

const ONLY_PUBLIC = 'only public addresses can be reached';

/**
 * The allowed addresses of `host` (a URL's hostname; IPv6 literals may keep their brackets).
 * An IP literal is judged without DNS. Throws UnsafeUrlError when an address is not allowed
 * or there is none; errors of the lookup itself are passed on as they are.
 */
export async function resolveAllowedAddresses(host: string, policy: NetworkPolicy, lookup: HostLookup = systemLookup): Promise<LookupAddress[]> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const literal = isIP(bare);
  if (literal) {
    const verdict = isAllowedAddress(bare, policy);
    if (!verdict.ok) throw new UnsafeUrlError('address', `${bare} is ${verdict.label}; ${ONLY_PUBLIC}`);
    return [{ address: bare, family: literal }];
  }
  const addresses = await lookup(bare);
  if (addresses.length === 0) throw new UnsafeUrlError('unresolvable', `${bare} has no address`);
  for (const { address } of addresses) {
    const verdict = isAllowedAddress(address, policy);
    if (!verdict.ok) throw new UnsafeUrlError('address', `${bare} ${verdict.reason}; ${ONLY_PUBLIC}`);
  }
  // The family is taken from the address itself, whatever the resolver said.
  return addresses.map(({ address }) => ({ address, family: isIP(address) }));
}

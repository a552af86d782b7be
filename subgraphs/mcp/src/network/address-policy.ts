// Which IP addresses user-registered MCP servers may be reached on: public addresses always,
// non-public ones only when the configuration names their range (MCP_ALLOW_NETWORKS).
import { BlockList, isIP } from 'node:net';

/** Non-public ranges the configuration can open by name. */
export type NetworkName = 'loopback' | 'private' | 'link-local';

const NETWORK_NAMES: readonly NetworkName[] = ['loopback', 'private', 'link-local'];

export interface NetworkPolicy {
  /** Named non-public ranges that are reachable anyway. */
  readonly networks: ReadonlySet<NetworkName>;
  /** Ranges (CIDR) that are reachable anyway, as the configuration wrote them. */
  readonly ranges: readonly string[];
  /** The same ranges, to match addresses against. */
  readonly allowed: BlockList;
}

export type AddressVerdict = { ok: true } | { ok: false; reason: string; label: string };

/** Public addresses only: the policy of an empty configuration. */
export const PUBLIC_ONLY: NetworkPolicy = parseNetworkPolicy('');

/**
 * Reads a comma-separated list of `loopback`, `private` (10/8, 172.16/12, 192.168/16, fc00::/7),
 * `link-local` (169.254/16, fe80::/10) and ranges such as `10.1.0.0/16` or `fd00:1::/32`
 * (a bare address is a range of one). Empty means public addresses only. Cloud metadata
 * addresses are never opened by a name, only by a range that names them.
 */
export function parseNetworkPolicy(raw: string | undefined): NetworkPolicy {
  const networks = new Set<NetworkName>();
  const ranges: string[] = [];
  const allowed = new BlockList();
  for (const entry of (raw ?? '').split(',').map((part) => part.trim().toLowerCase())) {
    if (!entry) continue;
    if ((NETWORK_NAMES as readonly string[]).includes(entry)) {
      networks.add(entry as NetworkName);
      continue;
    }
    addRange(allowed, entry);
    ranges.push(entry);
  }
  return { networks, ranges, allowed };
}

function addRange(list: BlockList, entry: string): void {
  const unknown = () =>
    new Error(`Unknown network "${entry}": use ${NETWORK_NAMES.join(', ')} or an address range such as 10.1.0.0/16 or fd00:1::/32`);
  const [address, prefixText, ...rest] = entry.split('/');
  const family = isIP(address);
  // Zone ids name an interface, not a range.
  if (!family || rest.length > 0 || address.includes('%')) throw unknown();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) {
    list.addAddress(address, type);
    return;
  }
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) throw unknown();
  list.addSubnet(address, prefix, type);
}

interface Range {
  label: string;
  /** The name that opens the range; none for ranges only an explicit CIDR opens. */
  openedBy?: NetworkName;
  list: BlockList;
}

function range(label: string, cidrs: string[], openedBy?: NetworkName): Range {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, prefix] = cidr.split('/');
    list.addSubnet(address, Number(prefix), isIP(address) === 4 ? 'ipv4' : 'ipv6');
  }
  return { label, openedBy, list };
}

// First match wins, so the metadata addresses come before the ranges that contain them and
// the broadcast address before 240/4. IPv4-mapped and IPv4-compatible IPv6 addresses are judged
// as the IPv4 address they carry, before this table.
const RANGES: readonly Range[] = [
  range('the cloud metadata address', ['169.254.169.254/32', 'fd00:ec2::254/128']),
  range('an unspecified address', ['0.0.0.0/8', '::/128']),
  range('a loopback address', ['127.0.0.0/8', '::1/128'], 'loopback'),
  range('a private address', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'], 'private'),
  range('a link-local address', ['169.254.0.0/16', 'fe80::/10'], 'link-local'),
  range('a shared (CGNAT) address', ['100.64.0.0/10']),
  range('a multicast address', ['224.0.0.0/4', 'ff00::/8']),
  range('the broadcast address', ['255.255.255.255/32']),
  range('a documentation address', ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32', '3fff::/20']),
  range('a benchmarking address', ['198.18.0.0/15', '2001:2::/48']),
  range('a NAT64 address', ['64:ff9b::/96', '64:ff9b:1::/48']),
  range('a Teredo address', ['2001::/32']),
  range('a 6to4 address', ['2002::/16', '192.88.99.0/24']),
  range('a site-local address', ['fec0::/10']),
  range('a discard-only address', ['100::/64']),
  range('a reserved address', ['192.0.0.0/24', '240.0.0.0/4', '2001::/23']),
];

// Global unicast: any IPv6 address outside it is not on the public internet.
const GLOBAL_UNICAST = range('a reserved address', ['2000::/3']);

/** Whether a connection may go to `address` under `policy`, with a readable reason when not. */
export function isAllowedAddress(address: string, policy: NetworkPolicy): AddressVerdict {
  const family = isIP(address);
  if (!family) return { ok: false, reason: `resolves to "${address}", which is not an IP address`, label: 'not an IP address' };
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (policy.allowed.check(address, type)) return { ok: true };

  const carried = family === 6 ? embeddedIPv4(address) : undefined;
  if (carried) {
    const verdict = isAllowedAddress(carried, policy);
    return verdict.ok ? verdict : { ok: false, reason: `resolves to ${address} (${carried}), ${verdict.label}`, label: verdict.label };
  }

  const match = RANGES.find((candidate) => candidate.list.check(address, type));
  const label = match?.label ?? (family === 6 && !GLOBAL_UNICAST.list.check(address, type) ? GLOBAL_UNICAST.label : undefined);
  if (!label) return { ok: true };
  if (match?.openedBy && policy.networks.has(match.openedBy)) return { ok: true };
  return { ok: false, reason: `resolves to ${address}, ${label}`, label };
}

/**
 * The IPv4 address an IPv6 address stands for: ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible,
 * except :: and ::1) and ::ffff:0:a.b.c.d (translated). A socket to one of these reaches the
 * IPv4 address, so it must be judged as that address.
 */
export function embeddedIPv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  const zeros = (count: number) => groups.slice(0, count).every((group) => group === 0);
  const carries =
    (zeros(5) && groups[5] === 0xffff) || (zeros(4) && groups[4] === 0xffff && groups[5] === 0) || (zeros(6) && groups[6] !== 0);
  if (!carries) return undefined;
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
}

/** The eight 16-bit groups of a valid IPv6 address (zone id ignored). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0];
  // A dotted IPv4 tail is the last two groups.
  const tail = text.slice(text.lastIndexOf(':') + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number);
    text = `${text.slice(0, text.length - tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const [head, rest] = text.split('::');
  if (rest === undefined) return parse(head);
  const before = parse(head);
  const after = parse(rest);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

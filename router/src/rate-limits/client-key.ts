// Whose window an anonymous request counts against: its IPv4 address, or the /64 network of
// an IPv6 one (one subscriber usually holds a whole /64, so per-address limits would not hold).
import { isIPv6 } from 'node:net';

function expandIpv6(address: string): string[] {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right];
}

export function clientKeyOf(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const address = ip.split('%')[0]!;
  if (!isIPv6(address)) return address;
  const groups = expandIpv6(address.toLowerCase()).slice(0, 4).map((group) => group.padStart(4, '0'));
  return `${groups.join(':')}::/64`;
}

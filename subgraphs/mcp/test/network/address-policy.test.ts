import { embeddedIPv4, isAllowedAddress, parseNetworkPolicy, PUBLIC_ONLY } from '../../src/network/address-policy.js';

describe('address policy', () => {
  it.each([
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['10.0.0.1', 'a private address'],
    ['10.255.255.255', 'a private address'],
    ['100.64.0.1', 'a shared (CGNAT) address'],
    ['100.127.255.255', 'a shared (CGNAT) address'],
    ['127.0.0.1', 'a loopback address'],
    ['127.255.255.254', 'a loopback address'],
    ['169.254.0.1', 'a link-local address'],
    ['169.254.169.254', 'the cloud metadata address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.0.0.8', 'a reserved address'],
    ['192.0.2.1', 'a documentation address'],
    ['192.168.1.1', 'a private address'],
    ['198.18.0.1', 'a benchmarking address'],
    ['198.19.255.255', 'a benchmarking address'],
    ['198.51.100.7', 'a documentation address'],
    ['203.0.113.9', 'a documentation address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['240.0.0.1', 'a reserved address'],
    ['255.255.255.254', 'a reserved address'],
    ['255.255.255.255', 'the broadcast address'],
    ['::', 'an unspecified address'],
    ['::1', 'a loopback address'],
    ['0:0:0:0:0:0:0:1', 'a loopback address'],
    ['fc00::1', 'a private address'],
    ['fd12:3456:789a::1', 'a private address'],
    ['fd00:ec2::254', 'the cloud metadata address'],
    ['fe80::1', 'a link-local address'],
    ['fe80::1%eth0', 'a link-local address'],
    ['febf::1', 'a link-local address'],
    ['fec0::1', 'a site-local address'],
    ['ff02::1', 'a multicast address'],
    ['ff0e::1', 'a multicast address'],
    ['64:ff9b::a00:1', 'a NAT64 address'],
    ['64:ff9b::808:808', 'a NAT64 address'],
    ['64:ff9b:1::1', 'a NAT64 address'],
    ['2001:db8::1', 'a documentation address'],
    ['2001:db8:ffff::1', 'a documentation address'],
    ['2001::1', 'a Teredo address'],
    ['2002:a00:1::1', 'a 6to4 address'],
    ['100::1', 'a discard-only address'],
    ['::2', 'a reserved address'],
    ['4000::1', 'a reserved address'],
  ])('refuses %s as %s', (address, label) => {
    expect(isAllowedAddress(address, PUBLIC_ONLY)).toEqual({ ok: false, reason: `resolves to ${address}, ${label}`, label });
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', '127.0.0.1', 'a loopback address'],
    ['::ffff:10.0.0.1', '10.0.0.1', 'a private address'],
    ['::ffff:a9fe:a9fe', '169.254.169.254', 'the cloud metadata address'],
    ['::ffff:0:127.0.0.1', '127.0.0.1', 'a loopback address'],
    ['::127.0.0.1', '127.0.0.1', 'a loopback address'],
    ['::a00:1', '10.0.0.1', 'a private address'],
    ['::ffff:0.0.0.0', '0.0.0.0', 'an unspecified address'],
  ])('judges %s as the IPv4 address it carries, %s', (address, carried, label) => {
    expect(embeddedIPv4(address)).toBe(carried);
    expect(isAllowedAddress(address, PUBLIC_ONLY)).toEqual({ ok: false, reason: `resolves to ${address} (${carried}), ${label}`, label });
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.0.1.255',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82a::200e',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
  ])('accepts the public address %s', (address) => {
    expect(isAllowedAddress(address, PUBLIC_ONLY)).toEqual({ ok: true });
  });

  it('refuses what is not an IP address', () => {
    expect(isAllowedAddress('localhost', PUBLIC_ONLY)).toEqual({ ok: false, reason: 'resolves to "localhost", which is not an IP address', label: 'not an IP address' });
    expect(isAllowedAddress('', PUBLIC_ONLY).ok).toBe(false);
  });

  it('reads an empty or missing configuration as public addresses only', () => {
    for (const raw of [undefined, '', ' , ,']) {
      const policy = parseNetworkPolicy(raw);
      expect(policy.networks.size).toBe(0);
      expect(policy.ranges).toEqual([]);
      expect(isAllowedAddress('127.0.0.1', policy).ok).toBe(false);
      expect(isAllowedAddress('8.8.8.8', policy).ok).toBe(true);
    }
  });

  it('opens loopback by name, and nothing else', () => {
    const policy = parseNetworkPolicy('loopback');
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isAllowedAddress(address, policy)).toEqual({ ok: true });
    for (const address of ['10.0.0.1', '0.0.0.0', '::', '169.254.169.254', 'fe80::1']) expect(isAllowedAddress(address, policy).ok).toBe(false);
  });

  it('opens the private ranges by name, but not CGNAT nor the AWS IPv6 metadata address', () => {
    const policy = parseNetworkPolicy('private');
    for (const address of ['10.0.0.1', '172.16.5.4', '192.168.0.10', 'fd12::1', '::ffff:192.168.0.1']) expect(isAllowedAddress(address, policy)).toEqual({ ok: true });
    for (const address of ['127.0.0.1', '100.64.0.1', 'fd00:ec2::254', '169.254.1.1']) expect(isAllowedAddress(address, policy).ok).toBe(false);
  });

  it('opens link-local by name, but not the metadata address in it', () => {
    const policy = parseNetworkPolicy('link-local');
    for (const address of ['169.254.1.1', 'fe80::1', 'fe80::1%eth0']) expect(isAllowedAddress(address, policy)).toEqual({ ok: true });
    expect(isAllowedAddress('169.254.169.254', policy)).toMatchObject({ ok: false, label: 'the cloud metadata address' });
  });

  it('opens exactly the ranges it lists, in any case and spacing', () => {
    const policy = parseNetworkPolicy(' Loopback , 10.1.0.0/16,FD00:1::/32 , 100.64.0.7 ');
    expect([...policy.networks]).toEqual(['loopback']);
    expect(policy.ranges).toEqual(['10.1.0.0/16', 'fd00:1::/32', '100.64.0.7']);
    for (const address of ['10.1.0.1', '10.1.255.255', '::ffff:10.1.2.3', 'fd00:1:ffff::1', '100.64.0.7', '127.0.0.1']) {
      expect(isAllowedAddress(address, policy)).toEqual({ ok: true });
    }
    for (const address of ['10.2.0.1', '10.0.255.255', 'fd00:2::1', '100.64.0.8', '192.168.1.1']) expect(isAllowedAddress(address, policy).ok).toBe(false);
  });

  it('opens a metadata address only when a range names it', () => {
    const policy = parseNetworkPolicy('169.254.169.254/32');
    expect(isAllowedAddress('169.254.169.254', policy)).toEqual({ ok: true });
    expect(isAllowedAddress('169.254.169.253', policy).ok).toBe(false);
  });

  it.each(['localhost', 'public', '10.0.0.0/33', '10.0.0.0/x', '10.0.0.0/', '10.0.0.0/8/8', '999.1.1.1/8', 'fe80::/129', 'fe80::1%eth0', '10.0.0.0/-1'])(
    'refuses the unknown entry %j',
    (entry) => {
      expect(() => parseNetworkPolicy(`loopback,${entry}`)).toThrow(`Unknown network "${entry.toLowerCase()}"`);
    },
  );
});

import type { LookupAddress } from 'node:dns';
import { parseNetworkPolicy, PUBLIC_ONLY } from '../../src/network/address-policy.js';
import type { HostLookup } from '../../src/network/resolve-host.js';
import { checkServerUrl, UnsafeUrlError } from '../../src/network/safe-url.js';

/** Answers like DNS from a table; names not in it do not exist. */
function fakeLookup(table: Record<string, string[]>): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { asked });
}

async function refusal(promise: Promise<unknown>): Promise<UnsafeUrlError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnsafeUrlError);
  return error as UnsafeUrlError;
}

describe('checkServerUrl', () => {
  // IP literals are judged as they are: asking DNS about them would be a mistake.
  const noDns: HostLookup = async (hostname) => {
    throw new Error(`unexpected lookup of ${hostname}`);
  };

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is the cloud metadata address'],
    ['http://10.0.0.1/', '10.0.0.1 is a private address'],
    ['https://192.168.1.10:8443/mcp', '192.168.1.10 is a private address'],
    ['http://[::1]/', '::1 is a loopback address'],
    ['http://127.0.0.1:3000/mcp', '127.0.0.1 is a loopback address'],
    ['http://0x7f.1/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://[::ffff:7f00:1]/', '::ffff:7f00:1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is a loopback address'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is the cloud metadata address'],
    ['ws://0.0.0.0:8080/', '0.0.0.0 is an unspecified address'],
    ['wss://[fe80::1]/', 'fe80::1 is a link-local address'],
  ])('refuses %s', async (raw, message) => {
    const error = await refusal(checkServerUrl(raw, PUBLIC_ONLY, noDns));
    expect(error.problem).toBe('address');
    expect(error.message).toBe(`${message}; only public addresses can be reached`);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/', 'gopher://example.com/', 'data:text/plain,hi', 'javascript:alert(1)', 'mailto:a@example.com'])(
    'refuses the scheme of %s',
    async (raw) => {
      const error = await refusal(checkServerUrl(raw, PUBLIC_ONLY, noDns));
      expect(error.problem).toBe('scheme');
      expect(error.message).toContain('must start with http://, https://, ws:// or wss://');
    },
  );

  it.each(['http://user:secret@example.com/mcp', 'https://user@example.com/', 'https://:secret@example.com/', 'wss://token:x-oauth@example.com/'])(
    'refuses credentials in %s',
    async (raw) => {
      const error = await refusal(checkServerUrl(raw, PUBLIC_ONLY, noDns));
      expect(error.problem).toBe('credentials');
      expect(error.message).toBe('The server URL must not contain a user name or password');
      expect(error.message).not.toContain('secret');
    },
  );

  it.each(['', 'example.com', 'http://', 'http://exa mple.com/', 'http://[::1/'])('refuses %j as not a URL', async (raw) => {
    const error = await refusal(checkServerUrl(raw, PUBLIC_ONLY, noDns));
    expect(error.problem).toBe('invalid-url');
  });

  it('refuses a name that resolves to a private address', async () => {
    const lookup = fakeLookup({ 'internal.example.com': ['10.0.0.1'] });
    const error = await refusal(checkServerUrl('https://internal.example.com/mcp', PUBLIC_ONLY, lookup));
    expect(error.problem).toBe('address');
    expect(error.message).toBe('internal.example.com resolves to 10.0.0.1, a private address; only public addresses can be reached');
    expect(lookup.asked).toEqual(['internal.example.com']);
  });

  it('refuses a name when any one of its addresses is not public', async () => {
    const lookup = fakeLookup({ 'mixed.example.com': ['93.184.216.34', '2606:2800:220:1::1', '::ffff:169.254.169.254'] });
    const error = await refusal(checkServerUrl('https://mixed.example.com/', PUBLIC_ONLY, lookup));
    expect(error.message).toBe('mixed.example.com resolves to ::ffff:169.254.169.254 (169.254.169.254), the cloud metadata address; only public addresses can be reached');
  });

  it('accepts a name with public addresses, with every address', async () => {
    const lookup = fakeLookup({ 'mcp.example.com': ['93.184.216.34', '2606:2800:220:1::1'] });
    const { url, addresses } = await checkServerUrl('  https://MCP.example.com/mcp?x=1  ', PUBLIC_ONLY, lookup);
    expect(url).toBeInstanceOf(URL);
    expect(url.href).toBe('https://mcp.example.com/mcp?x=1');
    expect(addresses).toEqual(['93.184.216.34', '2606:2800:220:1::1']);
    expect(lookup.asked).toEqual(['mcp.example.com']);
  });

  it.each(['http://mcp.example.com/sse', 'ws://mcp.example.com/', 'wss://mcp.example.com:8443/ws'])('accepts %s', async (raw) => {
    const { url } = await checkServerUrl(raw, PUBLIC_ONLY, fakeLookup({ 'mcp.example.com': ['93.184.216.34'] }));
    expect(url.href).toBe(raw);
  });

  it('accepts a public IP literal without DNS', async () => {
    await expect(checkServerUrl('https://8.8.8.8/mcp', PUBLIC_ONLY, noDns)).resolves.toMatchObject({ addresses: ['8.8.8.8'] });
    await expect(checkServerUrl('https://[2606:4700::1111]/', PUBLIC_ONLY, noDns)).resolves.toMatchObject({ addresses: ['2606:4700::1111'] });
  });

  it('refuses a name that does not resolve, or resolves to nothing', async () => {
    const lookup = fakeLookup({ 'empty.example.com': [] });
    const missing = await refusal(checkServerUrl('https://missing.example.com/', PUBLIC_ONLY, lookup));
    expect(missing).toMatchObject({ problem: 'unresolvable', message: 'missing.example.com could not be resolved (ENOTFOUND)' });
    const empty = await refusal(checkServerUrl('https://empty.example.com/', PUBLIC_ONLY, lookup));
    expect(empty).toMatchObject({ problem: 'unresolvable', message: 'empty.example.com has no address' });
  });

  it('refuses an address a resolver gets wrong', async () => {
    const error = await refusal(checkServerUrl('https://odd.example.com/', PUBLIC_ONLY, fakeLookup({ 'odd.example.com': ['not-an-ip'] })));
    expect(error.message).toContain('"not-an-ip", which is not an IP address');
  });

  it('accepts loopback when the configuration allows it', async () => {
    const policy = parseNetworkPolicy('loopback');
    await expect(checkServerUrl('http://127.0.0.1:3000/mcp', policy, noDns)).resolves.toMatchObject({ addresses: ['127.0.0.1'] });
    await expect(checkServerUrl('http://[::1]:3000/mcp', policy, noDns)).resolves.toMatchObject({ addresses: ['::1'] });
    await expect(checkServerUrl('http://dev.test/', policy, fakeLookup({ 'dev.test': ['127.0.0.1', '::1'] }))).resolves.toMatchObject({
      addresses: ['127.0.0.1', '::1'],
    });
    await expect(checkServerUrl('http://10.0.0.1/', policy, noDns)).rejects.toThrow('10.0.0.1 is a private address');
  });

  it('resolves with the system resolver by default', async () => {
    // localhost is loopback on every system.
    const error = await refusal(checkServerUrl('http://localhost:3000/', PUBLIC_ONLY));
    expect(error.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    await expect(checkServerUrl('http://localhost:3000/', parseNetworkPolicy('loopback'))).resolves.toMatchObject({ url: new URL('http://localhost:3000/') });
  });
});

// Secrets kept encrypted at rest: they come back with the key and kind they were sealed with,
// and not with another key or kind, nor once tampered with.
import { atRestKey, decryptAtRest, encryptAtRest } from '../src/at-rest.js';

const key = atRestKey('a-long-random-secret-of-the-service-0123456789');

test('a value comes back only with its key and kind, untampered', async () => {
  const sealed = await encryptAtRest('mcp-headers', { authorization: 'Bearer sk-123' }, key);
  expect(sealed).not.toContain('sk-123');
  expect(await decryptAtRest('mcp-headers', sealed, key)).toEqual({ authorization: 'Bearer sk-123' });
  await expect(decryptAtRest('mcp-headers', sealed, atRestKey('another-long-random-secret-0123456789abcdef'))).rejects.toThrow();
  await expect(decryptAtRest('oauth-tokens', sealed, key)).rejects.toThrow(/not oauth-tokens/);
  const parts = sealed.split('.');
  parts[3] = `${parts[3]!.startsWith('A') ? 'B' : 'A'}${parts[3]!.slice(1)}`;
  await expect(decryptAtRest('mcp-headers', parts.join('.'), key)).rejects.toThrow();
  // Each sealing is fresh: the same value twice gives two ciphertexts.
  expect(await encryptAtRest('mcp-headers', { a: 1 }, key)).not.toBe(await encryptAtRest('mcp-headers', { a: 1 }, key));
});

// Secrets a service keeps in its own database (an MCP server's API key, an OAuth token),
// encrypted with a key from its environment: a JWE with direct A256GCM encryption. A copy of
// the database alone opens nothing; the kind names what is sealed, so one value cannot be
// passed off as another.
import { CompactEncrypt, compactDecrypt } from 'jose';
import { createHash, type KeyObject, createSecretKey } from 'node:crypto';

/** The 256-bit key for a configured secret (any length: it is hashed). */
export const atRestKey = (secret: string): KeyObject => createSecretKey(createHash('sha256').update(secret, 'utf8').digest());

export async function encryptAtRest(kind: string, value: unknown, key: KeyObject): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(value))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', typ: kind }).encrypt(key);
}

export async function decryptAtRest<T>(kind: string, sealed: string, key: KeyObject): Promise<T> {
  const { plaintext, protectedHeader } = await compactDecrypt(sealed, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
  if (protectedHeader.typ !== kind) throw new Error(`encrypted ${String(protectedHeader.typ)}, not ${kind}`);
  return JSON.parse(new TextDecoder().decode(plaintext)) as T;
}

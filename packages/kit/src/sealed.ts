// A secret one service hands to another through an event, readable by that service alone: a JWE
// (ECDH-ES with X25519, A256GCM) for the recipient's public key. The outbox, the broker and
// every other consumer hold only ciphertext. The kind names what is sealed, so a sealed value
// cannot be passed off as another.
import { CompactEncrypt, compactDecrypt } from 'jose';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Env } from './database-url.js';
import type { Logger } from './logger.js';
import { configuredValue, keyFromEnv, unsetVariable } from './keys.js';

export interface SealingKeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export const generateSealingKeys = (): SealingKeyPair => generateKeyPairSync('x25519');


/** The public key of the service secrets are sealed for; made up in development (then nobody can open them). */
export function recipientKeyFrom(env: Env, name: string, logger: Logger): KeyObject {
  const value = configuredValue(env, name);
  if (value) return keyFromEnv(name, value, 'public', 'x25519');
  unsetVariable(env, name, logger);
  return generateSealingKeys().publicKey;
}

export async function seal(kind: string, value: Record<string, unknown>, recipient: KeyObject): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(value))).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', typ: kind }).encrypt(recipient);
}

export async function unseal<T = Record<string, unknown>>(kind: string, sealed: string, privateKey: KeyObject): Promise<T> {
  const { plaintext, protectedHeader } = await compactDecrypt(sealed, privateKey, { keyManagementAlgorithms: ['ECDH-ES'], contentEncryptionAlgorithms: ['A256GCM'] });
  if (protectedHeader.typ !== kind) throw new Error(`sealed ${String(protectedHeader.typ)}, not ${kind}`);
  return JSON.parse(new TextDecoder().decode(plaintext)) as T;
}

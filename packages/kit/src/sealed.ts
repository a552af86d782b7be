// A secret one service hands to another through an event, readable by that service alone: a JWE
// (ECDH-ES with X25519, A256GCM) for the recipient's public key. The outbox, the broker and
// every other consumer hold only ciphertext. The kind names what is sealed, so a sealed value
// cannot be passed off as another.
import { CompactEncrypt, compactDecrypt } from 'jose';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ConfigError } from './config.js';
import type { Env } from './database-url.js';
import type { Logger } from './logger.js';
import { configuredValue, unsetVariable } from './keys.js';

export interface SealingKeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export const generateSealingKeys = (): SealingKeyPair => generateKeyPairSync('x25519');

export const sealingKeyAsEnv = (key: KeyObject): string =>
  key.type === 'private' ? key.export({ format: 'der', type: 'pkcs8' }).toString('base64') : key.export({ format: 'der', type: 'spki' }).toString('base64');

/** An X25519 key from an env value (PEM, or DER in base64). */
export function sealingKeyFrom(name: string, value: string, type: 'public' | 'private'): KeyObject {
  let key: KeyObject;
  try {
    const material = value.startsWith('-----BEGIN') ? { key: value.replace(/\\n/g, '\n'), format: 'pem' as const } : { key: Buffer.from(value, 'base64'), format: 'der' as const };
    key = type === 'public' ? createPublicKey({ ...material, type: 'spki' }) : createPrivateKey({ ...material, type: 'pkcs8' });
  } catch {
    throw new ConfigError(`Invalid configuration:\n  ${name}: not a key (PEM or base64 DER)`);
  }
  if (key.asymmetricKeyType !== 'x25519') throw new ConfigError(`Invalid configuration:\n  ${name}: must be an X25519 key`);
  return key;
}

/** The public key of the service secrets are sealed for; made up in development (then nobody can open them). */
export function recipientKeyFrom(env: Env, name: string, logger: Logger): KeyObject {
  const value = configuredValue(env, name);
  if (value) return sealingKeyFrom(name, value, 'public');
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

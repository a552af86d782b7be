// One key per purpose, so no single secret unlocks everything:
//   IDENTITY_PRIVATE_KEY  the router's alone: signs the identities subgraphs receive (Ed25519)
//   IDENTITY_PUBLIC_KEY   every subgraph: verifies them, and cannot mint one
//   SERVICE_TOKEN_SECRET  router and services: HMAC of service tokens, which are worth nothing
//                         without an identity the router signed for that service
// (The files service's URL secret is its own: FILES_URL_SECRET.) Outside development each must
// be given, and strong; in development a process makes up what is missing.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Env } from './database-url.js';
import { ConfigError } from './config.js';
import type { Logger } from './logger.js';
import { secretWeakness } from './secrets.js';

export interface ServiceKeys {
  /** Verifies router-signed identities. */
  identityPublicKey: KeyObject;
  /** Signs them: the router's alone. */
  identityPrivateKey?: KeyObject;
  /** Signs and checks service tokens. */
  serviceTokenSecret: string;
}

export type RouterKeys = Required<ServiceKeys>;

const GENERATE_HINT = 'generate a set with `npm run keys`';
const isDevelopment = (env: Env) => (env.NODE_ENV ?? 'development') === 'development';
export const configuredValue = (env: Env, name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);

/** A fresh set of keys, for one process (development and tests). */
export function generateKeys(): RouterKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { identityPrivateKey: privateKey, identityPublicKey: publicKey, serviceTokenSecret: randomBytes(32).toString('hex') };
}

/** A key as an env value: its DER in base64, on one line. */
export const keyAsEnv = (key: KeyObject): string =>
  (key.type === 'private' ? key.export({ format: 'der', type: 'pkcs8' }) : key.export({ format: 'der', type: 'spki' })).toString('base64');

/** The keys as env lines. */
export function keysAsEnv(keys: RouterKeys): Record<string, string> {
  return { IDENTITY_PRIVATE_KEY: keyAsEnv(keys.identityPrivateKey), IDENTITY_PUBLIC_KEY: keyAsEnv(keys.identityPublicKey), SERVICE_TOKEN_SECRET: keys.serviceTokenSecret };
}

/** The `algorithm` key an env value holds: PEM (newlines may be written as \n) or base64 DER. */
export function keyFromEnv(name: string, value: string, kind: 'public' | 'private', algorithm: 'ed25519' | 'x25519'): KeyObject {
  let key: KeyObject;
  try {
    const material = value.startsWith('-----BEGIN') ? { key: value.replace(/\\n/g, '\n'), format: 'pem' as const } : { key: Buffer.from(value, 'base64'), format: 'der' as const };
    key = kind === 'public' ? createPublicKey({ ...material, type: 'spki' }) : createPrivateKey({ ...material, type: 'pkcs8' });
  } catch {
    throw new ConfigError(`Invalid configuration:\n  ${name}: not a key (PEM or base64 DER); ${GENERATE_HINT}`);
  }
  if (key.asymmetricKeyType !== algorithm) throw new ConfigError(`Invalid configuration:\n  ${name}: must be an ${algorithm === 'ed25519' ? 'Ed25519' : 'X25519'} key; ${GENERATE_HINT}`);
  return key;
}

const privateKeyFrom = (value: string) => keyFromEnv('IDENTITY_PRIVATE_KEY', value, 'private', 'ed25519');
const publicKeyFrom = (value: string) => keyFromEnv('IDENTITY_PUBLIC_KEY', value, 'public', 'ed25519');

/** For a variable that is not set: refused outside development, a warning in it. */
export function unsetVariable(env: Env, name: string, logger: Logger): void {
  if (!isDevelopment(env)) throw new ConfigError(`Invalid configuration:\n  ${name}: required outside development; ${GENERATE_HINT}`);
  logger.warn(`${name} not set: using a random one for this process (services in other processes cannot join)`);
}

/** A strong secret from `name`: required outside development, made up for the process in it. */
export function secretFrom(env: Env, name: string, logger: Logger): string {
  const value = configuredValue(env, name);
  if (!value) {
    unsetVariable(env, name, logger);
    return randomBytes(32).toString('hex');
  }
  const problem = secretWeakness(value);
  if (problem && !isDevelopment(env)) throw new ConfigError(`Invalid configuration:\n  ${name}: ${problem}`);
  if (problem) logger.warn(`${name}: ${problem}; refused outside development`);
  return value;
}

/** The router's keys: it signs identities, so it holds the private key (the public one follows). */
export function routerKeysFrom(env: Env, logger: Logger): RouterKeys {
  const privateValue = configuredValue(env, 'IDENTITY_PRIVATE_KEY');
  if (!privateValue) unsetVariable(env, 'IDENTITY_PRIVATE_KEY', logger);
  const identityPrivateKey = privateValue ? privateKeyFrom(privateValue) : generateKeys().identityPrivateKey;
  return { identityPrivateKey, identityPublicKey: createPublicKey(identityPrivateKey), serviceTokenSecret: secretFrom(env, 'SERVICE_TOKEN_SECRET', logger) };
}

/** A subgraph's keys: the public key only, and the service token secret. */
export function subgraphKeysFrom(env: Env, logger: Logger): ServiceKeys {
  if (configuredValue(env, 'IDENTITY_PRIVATE_KEY')) {
    const problem = "IDENTITY_PRIVATE_KEY: the router's alone; give subgraphs IDENTITY_PUBLIC_KEY";
    if (!isDevelopment(env)) throw new ConfigError(`Invalid configuration:\n  ${problem}`);
    logger.warn(problem);
  }
  const publicValue = configuredValue(env, 'IDENTITY_PUBLIC_KEY');
  if (!publicValue) unsetVariable(env, 'IDENTITY_PUBLIC_KEY', logger);
  return {
    identityPublicKey: publicValue ? publicKeyFrom(publicValue) : generateKeys().identityPublicKey,
    serviceTokenSecret: secretFrom(env, 'SERVICE_TOKEN_SECRET', logger),
  };
}

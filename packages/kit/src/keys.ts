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

/** The keys as env lines, each on one line (DER in base64). */
export function keysAsEnv(keys: RouterKeys): Record<string, string> {
  return {
    IDENTITY_PRIVATE_KEY: keys.identityPrivateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    IDENTITY_PUBLIC_KEY: keys.identityPublicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    SERVICE_TOKEN_SECRET: keys.serviceTokenSecret,
  };
}

// PEM (newlines may be written as \n) or the DER in base64 on one line.
function keyMaterial(value: string): { key: string | Buffer; format: 'pem' | 'der' } {
  if (value.startsWith('-----BEGIN')) return { key: value.replace(/\\n/g, '\n'), format: 'pem' };
  return { key: Buffer.from(value, 'base64'), format: 'der' };
}

function ed25519(name: string, load: () => KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = load();
  } catch {
    throw new ConfigError(`Invalid configuration:\n  ${name}: not a key (PEM or base64 DER); ${GENERATE_HINT}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError(`Invalid configuration:\n  ${name}: must be an Ed25519 key; ${GENERATE_HINT}`);
  return key;
}

const privateKeyFrom = (value: string) => ed25519('IDENTITY_PRIVATE_KEY', () => createPrivateKey({ ...keyMaterial(value), type: 'pkcs8' }));
const publicKeyFrom = (value: string) => ed25519('IDENTITY_PUBLIC_KEY', () => createPublicKey({ ...keyMaterial(value), type: 'spki' }));

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

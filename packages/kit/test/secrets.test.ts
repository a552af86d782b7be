// Outside development a service refuses to start without its keys, given and strong: they sign
// the identities subgraphs trust and the tokens services act with, so a published default would
// let anyone act as any user. Each purpose has its own key.
import { randomBytes } from 'node:crypto';
import { ConfigError, createLogger, generateKeys, keysAsEnv, routerKeysFrom, secretFrom, secretWeakness, subgraphKeysFrom } from '../src/index.js';

const logger = createLogger('secrets-test', 'silent');
const strong = randomBytes(32).toString('hex');
const keys = keysAsEnv(generateKeys());

test.each([
  ['missing', undefined, /required outside development/],
  ['the old compose default', 'change-me-to-a-long-random-secret-shared-by-all', /placeholder/],
  ['repeated characters', 'a'.repeat(64), /too predictable/],
  ['a repeated pattern', '0123456789abcdef'.repeat(4), /too predictable/],
  ['a short one', 'abc123', /at least 32 characters/],
])('production refuses %s', (_, secret, problem) => {
  const start = () => secretFrom({ NODE_ENV: 'production', SERVICE_TOKEN_SECRET: secret }, 'SERVICE_TOKEN_SECRET', logger);
  expect(start).toThrow(ConfigError);
  expect(start).toThrow(/SERVICE_TOKEN_SECRET/);
  expect(start).toThrow(problem);
});

test('production takes a random secret; development makes one up when none is set', () => {
  expect(secretFrom({ NODE_ENV: 'production', FILES_URL_SECRET: strong }, 'FILES_URL_SECRET', logger)).toBe(strong);
  expect(() => secretFrom({ NODE_ENV: 'test' }, 'FILES_URL_SECRET', logger)).toThrow(/FILES_URL_SECRET/);
  expect(secretFrom({}, 'FILES_URL_SECRET', logger)).toHaveLength(64);
});

test('random secrets of the usual encodings pass', () => {
  expect(secretWeakness(randomBytes(32).toString('hex'))).toBeUndefined();
  expect(secretWeakness(randomBytes(32).toString('base64url'))).toBeUndefined();
});

test('outside development the router needs its private key, and subgraphs the public one', () => {
  const production = { NODE_ENV: 'production', SERVICE_TOKEN_SECRET: strong };
  expect(() => routerKeysFrom(production, logger)).toThrow(/IDENTITY_PRIVATE_KEY: required/);
  expect(() => subgraphKeysFrom(production, logger)).toThrow(/IDENTITY_PUBLIC_KEY: required/);
  const router = routerKeysFrom({ ...production, IDENTITY_PRIVATE_KEY: keys.IDENTITY_PRIVATE_KEY }, logger);
  const subgraph = subgraphKeysFrom({ ...production, IDENTITY_PUBLIC_KEY: keys.IDENTITY_PUBLIC_KEY }, logger);
  expect(router.identityPublicKey.equals(subgraph.identityPublicKey)).toBe(true);
  expect(subgraph.identityPrivateKey).toBeUndefined();
});

test('a subgraph given the private key, or a key that is not Ed25519, refuses to start', () => {
  const production = { NODE_ENV: 'production', SERVICE_TOKEN_SECRET: strong, IDENTITY_PUBLIC_KEY: keys.IDENTITY_PUBLIC_KEY };
  expect(() => subgraphKeysFrom({ ...production, IDENTITY_PRIVATE_KEY: keys.IDENTITY_PRIVATE_KEY }, logger)).toThrow(/the router's alone/);
  expect(() => subgraphKeysFrom({ ...production, IDENTITY_PUBLIC_KEY: 'bm90IGEga2V5' }, logger)).toThrow(/IDENTITY_PUBLIC_KEY: not a key/);
  expect(() => routerKeysFrom({ ...production, IDENTITY_PRIVATE_KEY: strong }, logger)).toThrow(/IDENTITY_PRIVATE_KEY: not a key/);
  // PEM with its newlines written as \n, as env files hold it, works too.
  const pem = generateKeys().identityPublicKey.export({ format: 'pem', type: 'spki' }).toString().replace(/\n/g, '\\n');
  expect(subgraphKeysFrom({ ...production, IDENTITY_PUBLIC_KEY: pem }, logger).identityPublicKey.asymmetricKeyType).toBe('ed25519');
});

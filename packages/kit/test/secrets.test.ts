// Outside development a service refuses to start without a strong INTERNAL_SECRET: it signs the
// identities subgraphs trust, so a published default would let anyone act as any user.
import { randomBytes } from 'node:crypto';
import { ConfigError, createLogger, internalSecretFrom, secretWeakness } from '../src/index.js';

const logger = createLogger('secrets-test', 'silent');
const strong = randomBytes(32).toString('hex');

test.each([
  ['missing', undefined, /required outside development/],
  ['the old compose default', 'change-me-to-a-long-random-secret-shared-by-all', /placeholder/],
  ['repeated characters', 'a'.repeat(64), /too predictable/],
  ['a repeated pattern', '0123456789abcdef'.repeat(4), /too predictable/],
  ['a short one', 'abc123', /at least 32 characters/],
])('production refuses %s', (_, secret, problem) => {
  const start = () => internalSecretFrom({ NODE_ENV: 'production', INTERNAL_SECRET: secret }, logger);
  expect(start).toThrow(ConfigError);
  expect(start).toThrow(/INTERNAL_SECRET/);
  expect(start).toThrow(problem);
});

test('production takes a random secret; development makes one up when none is set', () => {
  expect(internalSecretFrom({ NODE_ENV: 'production', INTERNAL_SECRET: strong }, logger)).toBe(strong);
  expect(internalSecretFrom({ NODE_ENV: 'test', INTERNAL_SECRET: strong }, logger)).toBe(strong);
  expect(() => internalSecretFrom({ NODE_ENV: 'test' }, logger)).toThrow(/INTERNAL_SECRET/);
  expect(internalSecretFrom({}, logger)).toHaveLength(64);
});

test('random secrets of the usual encodings pass', () => {
  expect(secretWeakness(randomBytes(32).toString('hex'))).toBeUndefined();
  expect(secretWeakness(randomBytes(32).toString('base64url'))).toBeUndefined();
});

import { loadAuthConfig } from '../src/config.js';

describe('auth config', () => {
  it('has sane defaults', () => {
    const config = loadAuthConfig({});
    expect(config.tokens).toMatchObject({ issuer: 'builderai-auth', audience: 'builderai', accessTtlSeconds: 900, refreshTtlSeconds: 30 * 86400 });
    expect(config.throttle).toMatchObject({ maxFailuresPerAccount: 5, maxFailuresPerIp: 20, windowMs: 15 * 60 * 1000 });
    expect(config.argon2).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadAuthConfig({ AUTH_ACCESS_TOKEN_TTL_SECONDS: 'soon' })).toThrow(/AUTH_ACCESS_TOKEN_TTL_SECONDS/);
    expect(() => loadAuthConfig({ AUTH_SIGNING_KEY: 'not a key' })).toThrow(/AUTH_SIGNING_KEY: must be a PKCS8 PEM private key/);
  });

  it('accepts a PEM with escaped newlines, as .env files hold it', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIA==\\n-----END PRIVATE KEY-----';
    expect(loadAuthConfig({ AUTH_SIGNING_KEY: pem }).tokens.signingKeyPem).toBe(pem.replace(/\\n/g, '\n'));
  });
});

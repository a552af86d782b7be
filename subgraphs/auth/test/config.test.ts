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

  it('offers no sign-in provider unless configured, and refuses half or unsafe ones', () => {
    const provider = { id: 'acme', name: 'Acme', issuer: 'https://id.acme.example', clientId: 'c', clientSecret: 's' };
    expect(loadAuthConfig({}).signIn).toMatchObject({ redirectUris: [], openIdProviders: [], google: {}, github: { url: 'https://github.com' } });
    expect(loadAuthConfig({ OIDC_PROVIDERS: JSON.stringify([provider]), SIGN_IN_REDIRECT_URIS: 'https://app.example/cb, http://127.0.0.1:9/cb' }).signIn).toMatchObject({
      openIdProviders: [{ ...provider, scopes: ['openid', 'email', 'profile'], icon: 'openid' }],
      redirectUris: ['https://app.example/cb', 'http://127.0.0.1:9/cb'],
    });
    expect(() => loadAuthConfig({ GOOGLE_CLIENT_ID: 'id-only' })).toThrow(/GOOGLE_CLIENT_ID: GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET go together/);
    expect(() => loadAuthConfig({ OIDC_PROVIDERS: '{not json' })).toThrow(/OIDC_PROVIDERS: must be JSON/);
    expect(() => loadAuthConfig({ OIDC_PROVIDERS: JSON.stringify([{ ...provider, clientSecret: '' }]) })).toThrow(/OIDC_PROVIDERS/);
    expect(() => loadAuthConfig({ OIDC_PROVIDERS: JSON.stringify([provider, provider]) })).toThrow(/"acme" is used twice/);
    expect(() => loadAuthConfig({ OIDC_PROVIDERS: JSON.stringify([{ ...provider, id: 'github' }]) })).toThrow(/"github" is used twice/);
    // Plain http to a provider, or back to a non-loopback page, only outside production.
    const local = JSON.stringify([{ ...provider, issuer: 'http://127.0.0.1:8080' }]);
    expect(loadAuthConfig({ OIDC_PROVIDERS: local }).signIn.openIdProviders).toHaveLength(1);
    expect(() => loadAuthConfig({ NODE_ENV: 'production', OIDC_PROVIDERS: local })).toThrow(/is not https/);
    expect(() => loadAuthConfig({ NODE_ENV: 'production', SIGN_IN_REDIRECT_URIS: 'http://app.example/cb' })).toThrow(/SIGN_IN_REDIRECT_URIS: http:\/\/app.example\/cb is not https/);
    expect(loadAuthConfig({ NODE_ENV: 'production', SIGN_IN_REDIRECT_URIS: 'http://127.0.0.1:53682/cb' }).signIn.redirectUris).toHaveLength(1);
  });
});

// The JWKS endpoint verifies what login issues, the way the router does.
import { createRemoteJWKSet, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import type { TestService } from '@builderai/testkit';
import { login, register, startAuth } from './helpers.js';

describe('JWKS', () => {
  let auth: TestService;

  beforeAll(async () => {
    auth = await startAuth();
  });
  afterAll(async () => {
    await auth?.close();
  });

  const jwksUrl = (service: TestService) => new URL(`${service.service.url}/.well-known/jwks.json`);

  it('verifies an access token issued by login', async () => {
    const { email } = await register(auth);
    const { accessToken, user } = await login(auth, email);
    const { payload, protectedHeader } = await jwtVerify(accessToken, createRemoteJWKSet(jwksUrl(auth)), {
      issuer: 'builderai-auth',
      audience: 'builderai',
      algorithms: ['EdDSA'],
    });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({ sub: user.id, roles: ['USER'], sid: expect.any(String) });
    expect(payload.exp! - payload.iat!).toBe(15 * 60);
  });

  it('serves public keys only, with Cache-Control', async () => {
    const response = await fetch(jwksUrl(auth));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('keeps signing with the stored key across restarts', async () => {
    const { email } = await register(auth);
    const again = await startAuth();
    try {
      const { accessToken } = await login(again, email);
      await expect(jwtVerify(accessToken, createRemoteJWKSet(jwksUrl(auth)))).resolves.toBeTruthy();
    } finally {
      await again.close();
    }
  });

  it('signs with AUTH_SIGNING_KEY when it is set', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const pem = await exportPKCS8(privateKey);
    const own = await startAuth({ AUTH_SIGNING_KEY: pem });
    try {
      const { email } = await register(own);
      const { accessToken } = await login(own, email);
      const { keys } = (await (await fetch(jwksUrl(own))).json()) as { keys: unknown[] };
      expect(keys).toHaveLength(1);
      await expect(jwtVerify(accessToken, createRemoteJWKSet(jwksUrl(own)))).resolves.toBeTruthy();
      await expect(jwtVerify(accessToken, createRemoteJWKSet(jwksUrl(auth)))).rejects.toThrow();
    } finally {
      await own.close();
    }
  });
});

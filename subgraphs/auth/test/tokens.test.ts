import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, exportPKCS8, generateKeyPair, errors } from 'jose';
import { keyRingFromPem } from '../src/domain/signing-keys.js';
import { createAccessTokenIssuer, verifyAccessToken } from '../src/domain/tokens.js';

const settings = { issuer: 'builderai-auth', audience: 'builderai', ttlSeconds: 900 };
const claims = { userId: '0b7f6f9e-8d7a-4c4e-9a53-3f1f4b0f2a11', sessionId: '5c1d2e3f-4a5b-4c6d-8e7f-901234567890', roles: ['USER'] };

async function ring() {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return keyRingFromPem(await exportPKCS8(privateKey));
}

async function setup() {
  const keys = await ring();
  const jwks = createLocalJWKSet({ keys: await keys.publicKeys() });
  return { keys, jwks, issuer: createAccessTokenIssuer(keys, settings) };
}

describe('access tokens', () => {
  it('carry sub, sid, roles, iss, aud and a 15 minute lifetime, signed with EdDSA', async () => {
    const { keys, jwks, issuer } = await setup();
    const now = new Date();
    const { token, expiresAt } = await issuer.issue(claims, now);
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'EdDSA', kid: (await keys.signingKey()).kid });
    const payload = decodeJwt(token);
    expect(payload).toMatchObject({ sub: claims.userId, sid: claims.sessionId, roles: ['USER'], iss: 'builderai-auth', aud: 'builderai' });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(expiresAt.getTime()).toBe(payload.exp! * 1000);
    await expect(verifyAccessToken(token, jwks, settings)).resolves.toEqual(claims);
  });

  it('publishes only public key material', async () => {
    const [key] = await (await ring()).publicKeys();
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(key).not.toHaveProperty('d');
  });

  it('refuses a tampered token', async () => {
    const { jwks, issuer } = await setup();
    const { token } = await issuer.issue(claims);
    const [head, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(token), roles: ['ADMIN'] })).toString('base64url');
    await expect(verifyAccessToken(`${head}.${forged}.${signature}`, jwks, settings)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('refuses a token signed by another key under the same kid', async () => {
    const { keys, jwks } = await setup();
    const other = await ring();
    const { kid } = await keys.signingKey();
    const impostor = createAccessTokenIssuer({ ...other, signingKey: async () => ({ ...(await other.signingKey()), kid }) }, settings);
    const { token } = await impostor.issue(claims);
    await expect(verifyAccessToken(token, jwks, settings)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('refuses an expired token', async () => {
    const { jwks, issuer } = await setup();
    const { token } = await issuer.issue(claims, new Date(Date.now() - 901_000));
    await expect(verifyAccessToken(token, jwks, settings)).rejects.toBeInstanceOf(errors.JWTExpired);
  });

  it('refuses a token for another audience or issuer', async () => {
    const { jwks, issuer } = await setup();
    const { token } = await issuer.issue(claims);
    await expect(verifyAccessToken(token, jwks, { ...settings, audience: 'elsewhere' })).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
    await expect(verifyAccessToken(token, jwks, { ...settings, issuer: 'someone-else' })).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
  });

  it('refuses an unsigned token', async () => {
    const { jwks } = await setup();
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: claims.userId, sid: claims.sessionId, roles: [], iss: settings.issuer, aud: settings.audience, exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url')}.`;
    await expect(verifyAccessToken(unsigned, jwks, settings)).rejects.toThrow();
  });
});

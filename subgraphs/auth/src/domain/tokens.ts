// Access tokens: short-lived EdDSA JWTs. Claims: sub (user id), sid (session id), roles,
// iss, aud, iat, exp; the header names the signing key (kid) published in the JWKS.
import { SignJWT, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { variable } from '@builderai/kit';
import { SIGNING_ALGORITHM, type KeyRing } from './signing-keys.js';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

// An Ed25519 private key (PKCS8 PEM), as .env files hold it (escaped newlines).
const pem = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.replace(/\\n/g, '\n') : undefined))
  .pipe(z.string().includes('BEGIN PRIVATE KEY', { message: 'must be a PKCS8 PEM private key' }).optional());

/** Access and refresh tokens, and the key that signs access tokens. */
export const tokenVariables = {
  issuer: variable('JWT_ISSUER', z.string().min(1).default('builderai-auth')),
  audience: variable('JWT_AUDIENCE', z.string().min(1).default('builderai')),
  accessTtlSeconds: variable('AUTH_ACCESS_TOKEN_TTL_SECONDS', seconds(15 * 60)),
  refreshTtlSeconds: variable('AUTH_REFRESH_TOKEN_TTL_SECONDS', seconds(30 * 24 * 60 * 60)),
  /** A refresh token presented again within this of its exchange gets a sibling (0: always a reuse). */
  refreshReuseGraceSeconds: variable('AUTH_REFRESH_REUSE_GRACE_SECONDS', z.coerce.number().int().min(0).default(10)),
  /** When unset, keys live in the signing_keys table. */
  signingKeyPem: variable('AUTH_SIGNING_KEY', pem),
};

export interface AccessClaims {
  userId: string;
  sessionId: string;
  roles: string[];
}

export interface TokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

export interface AccessTokenIssuer {
  issue(claims: AccessClaims, now?: Date): Promise<IssuedAccessToken>;
}

export function createAccessTokenIssuer(keys: KeyRing, settings: TokenSettings): AccessTokenIssuer {
  return {
    async issue({ userId, sessionId, roles }, now = new Date()) {
      const key = await keys.signingKey();
      const issuedAt = Math.floor(now.getTime() / 1000);
      const expiresAt = issuedAt + settings.ttlSeconds;
      const token = await new SignJWT({ sid: sessionId, roles })
        .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(key.privateKey);
      return { token, expiresAt: new Date(expiresAt * 1000) };
    },
  };
}

/**
 * Checks signature, issuer, audience and expiry, and returns the claims; throws jose's errors
 * otherwise. The router does the same with createRemoteJWKSet(<auth>/.well-known/jwks.json).
 */
export async function verifyAccessToken(
  token: string,
  keySet: JWTVerifyGetKey,
  settings: Pick<TokenSettings, 'issuer' | 'audience'>,
): Promise<AccessClaims> {
  const { payload } = await jwtVerify(token, keySet, {
    issuer: settings.issuer,
    audience: settings.audience,
    algorithms: [SIGNING_ALGORITHM],
    requiredClaims: ['sub', 'sid', 'exp'],
  });
  if (typeof payload.sid !== 'string' || !Array.isArray(payload.roles)) throw new Error('access token lacks sid or roles');
  return { userId: payload.sub!, sessionId: payload.sid, roles: payload.roles.map(String) };
}

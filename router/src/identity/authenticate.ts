// Who is calling, from the Authorization header: an access token from auth (Bearer JWT, checked
// against auth's JWKS), a service acting for a user (Service token, identity.ts in the kit),
// or nobody (anonymous). A token that is presented but not valid fails with HTTP 401.
import { HeaderMap } from '@apollo/server';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { ErrorCode, IdentityError, SERVICE_TOKEN_SCHEME, appError, verifyServiceToken, type Identity, type Logger, type ServiceTokenKeys } from '@builderai/kit';
import { TokenCache } from './token-cache.js';

export interface AuthenticatorOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  keys: ServiceTokenKeys;
  logger: Logger;
}

/** The identity of a request from its Authorization header; throws a 401 GraphQLError. */
export type Authenticate = (authorization: string | undefined, ip: string, listener: { acceptServiceTokens: boolean }) => Promise<Identity>;

/** jose's codes for a token that is wrong, as opposed to a JWKS that cannot be fetched. */
const TOKEN_FAULTS = new Set([
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_INVALID',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

export function unauthenticatedRequest(message: string) {
  return appError(ErrorCode.UNAUTHENTICATED, message, {
    http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) },
  });
}

/** What we cannot check (JWKS or store unreachable) is refused for now, not let through. */
export function authenticationUnavailable() {
  return appError(ErrorCode.INTERNAL_SERVER_ERROR, 'Authentication is unavailable, try again shortly', {
    http: { status: 503, headers: new HeaderMap([['retry-after', '5']]) },
  });
}

function identityFromClaims(payload: JWTPayload): Identity {
  const { sub, sid, roles } = payload;
  if (typeof sub !== 'string' || typeof sid !== 'string' || !Array.isArray(roles)) {
    throw unauthenticatedRequest('Access token lacks sub, sid or roles');
  }
  return { userId: sub, sessionId: sid, roles: roles.filter((role): role is string => typeof role === 'string') };
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticate {
  const { keys, logger } = options;
  // Fetched on first use and again when a token names an unknown key (auth rotated its keys).
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 2000, cooldownDuration: 30_000 });
  const verifyOptions = { issuer: options.issuer, audience: options.audience, algorithms: ['EdDSA', 'Ed25519'], requiredClaims: ['exp'] };
  const verified = new TokenCache();

  async function verifyAccessToken(token: string): Promise<Identity> {
    const cached = verified.get(token);
    if (cached) return cached;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, verifyOptions));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw unauthenticatedRequest('Access token expired');
      if (code && TOKEN_FAULTS.has(code)) throw unauthenticatedRequest('Invalid access token');
      logger.error({ err: error, jwksUrl: options.jwksUrl }, 'cannot verify access tokens: JWKS unavailable');
      throw authenticationUnavailable();
    }
    const identity = identityFromClaims(payload);
    verified.set(token, identity, payload.exp! * 1000);
    return identity;
  }

  function verifyService(token: string): Identity {
    try {
      return verifyServiceToken(token, keys);
    } catch (error) {
      if (error instanceof IdentityError) throw unauthenticatedRequest('Invalid service token');
      throw error;
    }
  }

  return async (authorization, ip, { acceptServiceTokens }) => {
    if (!authorization) return { roles: [], ip };
    const space = authorization.indexOf(' ');
    const scheme = space > 0 ? authorization.slice(0, space).toLowerCase() : '';
    const token = authorization.slice(space + 1).trim();
    if (!token) throw unauthenticatedRequest('Empty credentials in the Authorization header');
    if (scheme === 'bearer') return { ...(await verifyAccessToken(token)), ip };
    // The service keeps the user's own IP when it knows it, so limits and logs see the user.
    if (scheme === SERVICE_TOKEN_SCHEME.toLowerCase()) {
      // Services call the router's internal listener; on the public one the scheme opens nothing.
      if (!acceptServiceTokens) throw unauthenticatedRequest(`${SERVICE_TOKEN_SCHEME} tokens are accepted on the internal listener only`);
      const identity = verifyService(token);
      return { ...identity, ip: identity.ip ?? ip };
    }
    throw unauthenticatedRequest(`Unsupported authorization scheme; use Bearer or ${SERVICE_TOKEN_SCHEME}`);
  };
}

// Identity travels from the router to subgraphs in a header the router signs with its Ed25519
// private key; subgraphs hold only the public key, so none of them can mint an identity. A
// service acts for a user through the router with a service token: HMAC-signed with the service
// token secret and carrying the router-signed identity it received, so the router itself vouches
// for the user, the session and the roles, and revoking the session revokes the token.
import { createHmac, sign as ed25519Sign, timingSafeEqual, verify as ed25519Verify, type KeyObject } from 'node:crypto';

export interface Identity {
  userId?: string;
  sessionId?: string;
  roles: string[];
  /** The caller's IP as the router saw it. */
  ip?: string;
  /** Set when a service acts on the user's behalf (e.g. "chat"). */
  actingService?: string;
  /** The router-signed header this identity came from: what a service shows to act for the user. */
  proof?: string;
}

export const ANONYMOUS: Identity = Object.freeze({ roles: [] }) as Identity;
export const IDENTITY_HEADER = 'x-builderai-identity';

/** How long after the user's request a service may still act for the user (a long chat answer). */
export const DELEGATION_MAX_AGE_SECONDS = 600;

interface IdentityClaims {
  userId?: string;
  sessionId?: string;
  roles: string[];
  ip?: string;
  actingService?: string;
  aud: 'subgraph';
  iat: number;
  exp: number;
  /** The subgraph the identity is for, and the request it serves. */
  sg?: string;
  rid?: string;
}

interface ServiceTokenClaims {
  aud: 'router';
  svc: string;
  exp: number;
  /** The router-signed identity the service received. */
  on: string;
}

/** What a router-signed identity is bound to: a captured header opens no other subgraph or request. */
export interface IdentityBinding {
  subgraph: string;
  requestId: string;
}

export class IdentityError extends Error {
  override name = 'IdentityError';
}

const encode = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

function split(token: string): [body: string, signature: Buffer] {
  const dot = token.indexOf('.');
  if (dot <= 0) throw new IdentityError('malformed identity');
  return [token.slice(0, dot), Buffer.from(token.slice(dot + 1), 'base64url')];
}

function claimsOf<T>(body: string): T {
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    throw new IdentityError('malformed identity');
  }
}

export interface SignIdentityOptions {
  ttlSeconds?: number;
  /** When the identity was issued (seconds since the epoch); now by default. */
  issuedAt?: number;
}

/** Router → subgraph: the identity of the request being served, for one subgraph and request. */
export function signIdentity(identity: Identity, privateKey: KeyObject, binding?: IdentityBinding, options: SignIdentityOptions = {}): string {
  const iat = options.issuedAt ?? nowSeconds();
  const { userId, sessionId, roles, ip, actingService } = identity;
  const claims: IdentityClaims = { userId, sessionId, roles, ip, actingService, aud: 'subgraph', iat, exp: iat + (options.ttlSeconds ?? 60), ...(binding && { sg: binding.subgraph, rid: binding.requestId }) };
  const body = encode(JSON.stringify(claims));
  return `${body}.${encode(ed25519Sign(null, Buffer.from(body), privateKey))}`;
}

/** The claims of a header the router signed, whatever it is bound to. */
function verifiedClaims(header: string, publicKey: KeyObject): IdentityClaims {
  const [body, signature] = split(header);
  let valid = false;
  try {
    valid = ed25519Verify(null, Buffer.from(body), publicKey, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new IdentityError('bad identity signature');
  const claims = claimsOf<IdentityClaims>(body);
  if (claims.aud !== 'subgraph') throw new IdentityError('identity for another audience');
  return claims;
}

const identityFrom = ({ userId, sessionId, roles, ip, actingService }: IdentityClaims, proof: string): Identity => ({
  ...(userId !== undefined && { userId }),
  ...(sessionId !== undefined && { sessionId }),
  roles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
  ...(ip !== undefined && { ip }),
  ...(actingService !== undefined && { actingService }),
  proof,
});

export function verifyIdentity(header: string, publicKey: KeyObject, binding?: IdentityBinding): Identity {
  const claims = verifiedClaims(header, publicKey);
  if (!(claims.exp > Date.now() / 1000)) throw new IdentityError('identity expired');
  if (binding && claims.sg !== binding.subgraph) throw new IdentityError('identity for another subgraph');
  if (binding && claims.rid !== binding.requestId) throw new IdentityError('identity for another request');
  return identityFrom(claims, header);
}

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** Subgraph → router: a service acting for the user of a request it served. */
export const SERVICE_TOKEN_SCHEME = 'Service';

export function signServiceToken(service: string, onBehalfOf: Identity, secret: string, ttlSeconds = 60): string {
  if (!onBehalfOf.proof) throw new IdentityError('a service acts only for an identity the router signed (identity.proof)');
  const claims: ServiceTokenClaims = { aud: 'router', svc: service, exp: nowSeconds() + ttlSeconds, on: onBehalfOf.proof };
  const body = encode(JSON.stringify(claims));
  return `${body}.${encode(mac(secret, body))}`;
}

export interface ServiceTokenKeys {
  serviceTokenSecret: string;
  identityPublicKey: KeyObject;
}

/**
 * The user a service token acts for, as the router itself signed them: the identity must have
 * been issued to that very service, less than DELEGATION_MAX_AGE_SECONDS ago.
 */
export function verifyServiceToken(token: string, keys: ServiceTokenKeys): Identity {
  const [body, given] = split(token);
  const expected = mac(keys.serviceTokenSecret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new IdentityError('bad service token signature');
  const claims = claimsOf<ServiceTokenClaims>(body);
  if (claims.aud !== 'router') throw new IdentityError('service token for another audience');
  if (!(claims.exp > Date.now() / 1000)) throw new IdentityError('service token expired');
  if (typeof claims.svc !== 'string' || typeof claims.on !== 'string') throw new IdentityError('malformed service token');
  const user = verifiedClaims(claims.on, keys.identityPublicKey);
  if (user.sg !== claims.svc) throw new IdentityError('service token for an identity issued to another service');
  if (!(user.iat > Date.now() / 1000 - DELEGATION_MAX_AGE_SECONDS)) throw new IdentityError('service token for an identity too old to act on');
  const { proof: _proof, ...identity } = identityFrom(user, claims.on);
  return { ...identity, actingService: claims.svc };
}

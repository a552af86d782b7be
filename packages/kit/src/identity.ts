// Identity travels from the router to subgraphs in a header signed with INTERNAL_SECRET, so a
// subgraph can tell a router-issued identity from a forged one. The same signing gives
// services a token to call the router on behalf of a user (audience "router").
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Identity {
  userId?: string;
  sessionId?: string;
  roles: string[];
  /** The caller's IP as the router saw it. */
  ip?: string;
  /** Set when a service acts on the user's behalf (e.g. "chat"). */
  actingService?: string;
}

export const ANONYMOUS: Identity = Object.freeze({ roles: [] }) as Identity;
export const IDENTITY_HEADER = 'x-builderai-identity';

type Audience = 'subgraph' | 'router';
interface SignedClaims extends Identity {
  aud: Audience;
  exp: number;
  /** The subgraph the identity is for, and the request it serves (router → subgraph only). */
  sg?: string;
  rid?: string;
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

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

function sign(identity: Identity, secret: string, aud: Audience, ttlSeconds: number, binding?: IdentityBinding): string {
  const claims: SignedClaims = { ...identity, aud, exp: Math.floor(Date.now() / 1000) + ttlSeconds, ...(binding && { sg: binding.subgraph, rid: binding.requestId }) };
  const body = encode(JSON.stringify(claims));
  return `${body}.${encode(mac(secret, body))}`;
}

function verify(token: string, secret: string, aud: Audience, binding?: IdentityBinding): Identity {
  const dot = token.indexOf('.');
  if (dot <= 0) throw new IdentityError('malformed identity');
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new IdentityError('bad identity signature');
  let claims: SignedClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new IdentityError('malformed identity');
  }
  if (claims.aud !== aud) throw new IdentityError('identity for another audience');
  if (!(claims.exp > Date.now() / 1000)) throw new IdentityError('identity expired');
  if (binding && claims.sg !== binding.subgraph) throw new IdentityError('identity for another subgraph');
  if (binding && claims.rid !== binding.requestId) throw new IdentityError('identity for another request');
  const { aud: _aud, exp: _exp, sg: _sg, rid: _rid, ...identity } = claims;
  return { ...identity, roles: Array.isArray(identity.roles) ? identity.roles : [] };
}

/** Router → subgraph: the identity of the request being served, for one subgraph and request. */
export const signIdentity = (identity: Identity, secret: string, binding?: IdentityBinding, ttlSeconds = 60) => sign(identity, secret, 'subgraph', ttlSeconds, binding);
export const verifyIdentity = (header: string, secret: string, binding?: IdentityBinding) => verify(header, secret, 'subgraph', binding);

/** Subgraph → router: a service acting for a user, authorized exactly as that user. */
export const SERVICE_TOKEN_SCHEME = 'Service';
export const signServiceToken = (service: string, onBehalfOf: Identity, secret: string, ttlSeconds = 60) =>
  sign({ ...onBehalfOf, actingService: service }, secret, 'router', ttlSeconds);
export const verifyServiceToken = (token: string, secret: string) => verify(token, secret, 'router');

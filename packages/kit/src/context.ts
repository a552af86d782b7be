import { randomUUID, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from './logger.js';
import { IDENTITY_HEADER, IdentityError, verifyIdentity, type Identity, type IdentityBinding } from './identity.js';
import { unauthenticated } from './errors.js';

/** What every resolver of every subgraph receives; services extend it. */
export interface RequestContext {
  identity: Identity;
  requestId: string;
  log: Logger;
  /** The client's user agent, forwarded by the router (informational only). */
  userAgent?: string;
}

export const REQUEST_ID_HEADER = 'x-request-id';

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
}

/** A subgraph accepts only identities the router signed for it and for this request. */
export function identityOf(header: string | string[] | undefined, publicKey: KeyObject, binding?: IdentityBinding): Identity {
  if (typeof header !== 'string') throw new IdentityError('missing identity');
  return verifyIdentity(header, publicKey, binding);
}

export function requireUser(context: RequestContext): string {
  if (!context.identity.userId) throw unauthenticated();
  return context.identity.userId;
}

export function hasRole(context: RequestContext, role: string): boolean {
  return context.identity.roles.includes(role);
}

export { IDENTITY_HEADER };

// GET /.well-known/jwks.json: the public keys that verify access tokens. The router fetches
// it with jose's createRemoteJWKSet, which refetches on an unknown kid.
import { sendJson, type RouteHandler } from '@builderai/kit';
import type { KeyRing } from './domain/signing-keys.js';

export const JWKS_PATH = '/.well-known/jwks.json';

export function jwksRoute(keys: KeyRing): RouteHandler {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
      return;
    }
    sendJson(res, 200, { keys: await keys.publicKeys() }, { 'cache-control': 'public, max-age=300' });
  };
}

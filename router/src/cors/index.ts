// CORS for browsers on other origins (CORS_ORIGINS; "*" allows any origin, without
// credentials). Answers preflights itself; on other requests it adds the allow headers for
// allowed origins and leaves the rest to the browser, which blocks reading the answer.
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollo-client-name',
  'apollo-client-version',
  'x-request-id',
  'traceparent',
].join(', ');
const EXPOSED_HEADERS = 'retry-after, x-request-id';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/** A `before` hook for the GraphQL route: false once it has answered (a preflight). */
export type CorsHook = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface CorsFeature {
  before: CorsHook;
}

export function corsFeature(allowedOrigins: string[]): CorsFeature {
  return { before: corsPolicy(allowedOrigins) };
}

function corsPolicy(allowedOrigins: string[]): CorsHook {
  const anyOrigin = allowedOrigins.includes('*');
  const allowed = new Set(allowedOrigins);

  return (req, res) => {
    const origin = req.headers.origin;
    const isPreflight = req.method === 'OPTIONS';
    if (!origin) {
      if (isPreflight) {
        res.writeHead(204).end();
        return false;
      }
      return true;
    }
    res.setHeader('vary', 'Origin');
    const permitted = anyOrigin || allowed.has(origin);
    if (permitted) {
      res.setHeader('access-control-allow-origin', anyOrigin ? '*' : origin);
      if (!anyOrigin) res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    }
    if (!isPreflight) return true;
    if (!permitted) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Origin not allowed');
      return false;
    }
    res.writeHead(204, {
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
    });
    res.end();
    return false;
  };
}

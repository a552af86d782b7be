// Who may read a service's operational detail (/metrics, /health/ready, /health): what it runs
// on and how it fares is a map for an attacker, and a readiness probe fans out. Liveness stays
// public and cheap. With OPS_TOKEN set, a request must carry it as a bearer token; without
// one, development serves everyone and production no one (the routes answer 404).
import { timingSafeEqual } from 'node:crypto';
import { infrastructureEnv, loadConfig } from './config.js';
import type { Env } from './database-url.js';
import { sendJson, type RouteHandler } from './http.js';

const isOpsPath = (path: string) => path === '/metrics' || (path.startsWith('/health') && path !== '/health/live');

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The routes, with the operational ones behind OPS_TOKEN (or closed in production). */
export function guardOpsRoutes(routes: Record<string, RouteHandler>, env: Env): Record<string, RouteHandler> {
  const { OPS_TOKEN, NODE_ENV } = loadConfig(infrastructureEnv, env);
  const guard = (handler: RouteHandler): RouteHandler => (req, res) => {
    if (OPS_TOKEN) {
      if (!bearerMatches(req.headers.authorization, OPS_TOKEN)) return sendJson(res, 401, { error: 'ops token required' }, { 'www-authenticate': 'Bearer' });
    } else if (NODE_ENV === 'production') {
      return sendJson(res, 404, { error: 'not found' });
    }
    return handler(req, res);
  };
  return Object.fromEntries(Object.entries(routes).map(([path, handler]) => [path, isOpsPath(path) ? guard(handler) : handler]));
}

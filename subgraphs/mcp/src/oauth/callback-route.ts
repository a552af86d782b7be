// The page authorization servers send the user's browser back to: it finishes the authorization
// and says how it went, or hands the browser to the web app (MCP_OAUTH_RETURN_URL) with the
// outcome in the query. Nothing on it can be framed, cached or sent on as a referrer (the URL
// held a code).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler } from '@builderai/kit';
import type { McpApp } from '../context.js';
import { finishAuthorization, type CallbackParams, type CallbackResult } from './authorizations.js';

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(result: CallbackResult): string {
  const title = result.ok ? 'Connected' : 'Not connected';
  const message = result.ok ? `BuilderAI can now use ${result.serverName} for you. You can close this window.` : result.reason;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui;max-width:36rem;margin:4rem auto"><h1>${title}</h1><p>${escapeHtml(message)}</p></body></html>`;
}

function paramsOf(req: IncomingMessage): CallbackParams {
  const query = new URL(req.url ?? '/', 'http://callback').searchParams;
  const one = (name: string) => query.get(name) ?? undefined;
  return { state: one('state'), code: one('code'), error: one('error'), errorDescription: one('error_description'), iss: one('iss') };
}

export function callbackRoute(app: McpApp): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', ...SECURITY_HEADERS }).end();
      return;
    }
    let result: CallbackResult;
    try {
      result = await finishAuthorization(app, paramsOf(req));
    } catch (error) {
      app.logger.error({ err: error }, 'mcp oauth callback failed');
      result = { ok: false, serverId: null, reason: 'Something went wrong on our side; start the authorization again' };
    }
    if (app.config.oauthReturnUrl) {
      const target = new URL(app.config.oauthReturnUrl);
      if (result.serverId) target.searchParams.set('mcpServerId', result.serverId);
      target.searchParams.set('authorization', result.ok ? 'ok' : 'failed');
      if (!result.ok) target.searchParams.set('reason', result.reason);
      res.writeHead(303, { location: target.href, ...SECURITY_HEADERS }).end();
      return;
    }
    const body = page(result);
    res.writeHead(result.ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), ...SECURITY_HEADERS }).end(body);
  };
}

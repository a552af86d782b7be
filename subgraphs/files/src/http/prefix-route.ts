// The kit's HTTP server routes exact paths; the preview serves a whole tree under /preview/.
// Until the kit routes prefixes, requests under the prefix are taken before its router sees them.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { sendJson, type RouteHandler } from '@builderai/kit';

export function routePrefix(server: Server, prefix: string, handler: RouteHandler): void {
  const kitListeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!(req.url ?? '/').startsWith(prefix)) {
      for (const listener of kitListeners) listener(req, res);
      return;
    }
    Promise.resolve(handler(req, res)).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
}

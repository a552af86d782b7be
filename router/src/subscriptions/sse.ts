// Subscriptions over GraphQL over Server-Sent Events (the graphql-sse protocol, "distinct
// connections" mode: one POST or GET with `Accept: text/event-stream` per subscription) for
// clients that cannot open a WebSocket. The token comes in the Authorization header as for any
// request. The single-connection mode is off: its reservations live in one process's memory,
// which breaks behind a load balancer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHandler, type Request } from 'graphql-sse';
import { HttpError, readBody, sendGraphQLError, type Identity, type Logger } from '@builderai/kit';
import type { ExecutionResult } from 'graphql';
import { formatGraphQLError, formatResult, refusalOf, type SubscriptionService } from './subscribe.js';

export interface SseOptions {
  service: SubscriptionService;
  identify(req: IncomingMessage): Promise<Identity>;
  maxBodyBytes: number;
  logger: Logger;
}

/** True for a request graphql-sse should answer. */
export const wantsEventStream = (req: IncomingMessage) => (req.headers.accept ?? '').includes('text/event-stream');

export function sseHandler({ service, identify, maxBodyBytes, logger }: SseOptions) {
  const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
    [JSON.stringify(body), { status, statusText: '', headers: { 'content-type': 'application/json; charset=utf-8', ...headers } }] as const;

  const handle = createHandler<IncomingMessage>({
    // No reservations: every subscription is its own event stream.
    authenticate: () => null,
    onNext: (_ctx, _req, result) => formatResult(result as ExecutionResult) as never,
    onSubscribe: async (req, params) => {
      let identity: Identity;
      try {
        identity = await identify(req.raw);
      } catch (error) {
        const refusal = refusalOf(error);
        return json({ errors: refusal.errors.map(formatGraphQLError) }, refusal.status, refusal.headers);
      }
      const started = await service.subscribe({ ...params, identity });
      if ('errors' in started) return json({ errors: started.errors.map(formatGraphQLError) }, started.status, started.headers);
      return started;
    },
  });

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const raw = req.method === 'POST' ? (await readBody(req, maxBodyBytes)).toString('utf8') : null;
      const request: Request<IncomingMessage> = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: { get: (name) => (req.headers[name.toLowerCase()] as string | undefined) ?? null },
        body: raw,
        raw: req,
        context: undefined,
      };
      // graphql-sse compares the Accept header exactly.
      const accept = request.headers.get;
      request.headers.get = (name) => (name.toLowerCase() === 'accept' ? 'text/event-stream' : accept(name));
      const [body, init] = await handle(request);
      res.writeHead(init.status, init.headers);
      if (body === null || typeof body === 'string') {
        res.end(body ?? undefined);
        return;
      }
      res.flushHeaders();
      // A client that goes away ends its subscription.
      const stop = () => void body.return(undefined);
      res.once('close', stop);
      try {
        for await (const chunk of body) res.write(chunk);
      } finally {
        res.off('close', stop);
        res.end();
      }
    } catch (error) {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError) return sendGraphQLError(res, error);
      logger.error({ err: error }, 'an event-stream subscription failed');
      sendGraphQLError(res, new HttpError(500, 'Internal server error', 'INTERNAL_SERVER_ERROR'));
    }
  };
}

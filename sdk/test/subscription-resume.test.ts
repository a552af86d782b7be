// How a subscription comes back, against a small graphql-ws server of the API's schema whose
// answers each test scripts: an UNAVAILABLE ending, a dropped connection or a server's normal
// closure are resumed after the last cursor received (every event once, in order); the attempts
// are bounded; other codes end the iterator; a refused token is tried once more only with a new
// one; leaving the loop unsubscribes; subscriptions share one socket.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { buildSchema, GraphQLError } from 'graphql';
import { BuilderAIError, createClient, type ClientOptions, type MessageStreamSubscription } from '@builderai/sdk';
import { REPO_ROOT } from '@builderai/kit/services';
import { sockets, TrackedWebSocket } from './tracked-sockets.js';

const schema = buildSchema(readFileSync(path.join(REPO_ROOT, 'sdk/schema.graphql'), 'utf8'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits for what the server sees to settle (a busy machine takes longer than a quiet one). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; !condition(); await sleep(10)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

type Event = MessageStreamSubscription['messageStream'];
/** The conversation's events: cursors "1".."n", a STARTED, DELTAs, a DONE. */
const EVENTS: Event[] = ['STARTED', 'DELTA', 'DELTA', 'DELTA', 'DELTA', 'DELTA', 'DONE'].map((type, i) => ({
  cursor: String(i + 1),
  type: type as Event['type'],
  delta: type === 'DELTA' ? ` w${i}` : null,
  error: null,
  toolCall: null,
  message: { id: 'm1', status: type === 'DONE' ? 'COMPLETE' : 'STREAMING', content: '', error: null, parent: { id: 'q1' }, metadata: null },
}));
const after = (cursor: string | null | undefined) => EVENTS.filter((event) => Number(event.cursor) > Number(cursor ?? 0));
const coded = (code: string) => new GraphQLError(`refused: ${code}`, { extensions: { code } });

interface Subscribed {
  conversationId: string;
  after: string | null | undefined;
  /** The number of the subscription, from 0. */
  n: number;
  /** The server's side was ended (the client unsubscribed, or its socket closed). */
  ended?: boolean;
}
/** What the server does with the n-th subscription: the events to send, then what to do. */
type Script = (subscribed: Subscribed) => AsyncIterableIterator<{ messageStream: Event }>;

let server: Server;
let wss: WebSocketServer;
let url: string;
let script: Script;
let subscriptions: Subscribed[];
let authorizations: unknown[];
/** The server's end of each socket. */
let accepted: WebSocket[];
/** Tokens the server refuses with 4401 when a socket connects. */
let refused: Set<string>;

beforeAll(async () => {
  server = createServer();
  wss = new WebSocketServer({ server, path: '/graphql' });
  useServer(
    {
      schema,
      onConnect: (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        authorizations.push(authorization);
        accepted.push(ctx.extra.socket);
        if (typeof authorization === 'string' && refused.has(authorization.replace('Bearer ', ''))) {
          ctx.extra.socket.close(4401, 'Invalid access token');
          return false;
        }
        return true;
      },
      roots: {
        subscription: {
          messageStream: (args: { conversationId: string; after?: string | null }) => {
            const subscribed: Subscribed = { conversationId: args.conversationId, after: args.after, n: subscriptions.length };
            subscriptions.push(subscribed);
            const source = script(subscribed);
            const close = source.return!.bind(source);
            source.return = () => {
              subscribed.ended = true;
              return close();
            };
            return source;
          },
        },
      },
    },
    wss,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  for (const socket of wss.clients) socket.terminate();
  await new Promise((resolve) => wss.close(resolve));
  await new Promise((resolve) => server.close(resolve));
});


beforeEach(() => {
  subscriptions = [];
  authorizations = [];
  accepted = [];
  refused = new Set();
});

const client = (options: Partial<ClientOptions> = {}) =>
  createClient({ url, webSocketImpl: TrackedWebSocket, accessToken: () => 'token', resubscribe: { delayMs: 20 }, ...options });

/** The events until DONE; rejects with the iterator's error. */
async function untilDone(iterable: AsyncIterable<MessageStreamSubscription>): Promise<Event[]> {
  const events: Event[] = [];
  for await (const { messageStream } of iterable) {
    events.push(messageStream);
    if (messageStream.type === 'DONE') break;
  }
  return events;
}

/** The events of `list`, 5 ms apart, then `then`; then the stream stays open until it is ended. */
function events(list: Event[], then?: () => void | Promise<void>): AsyncIterableIterator<{ messageStream: Event }> {
  let sent = 0;
  let closed = false;
  let wake: (() => void) | undefined;
  const source: AsyncIterableIterator<{ messageStream: Event }> = {
    async next() {
      if (sent > 0) await sleep(5);
      if (!closed && sent < list.length) return { done: false, value: { messageStream: list[sent++]! } };
      if (!closed && sent++ === list.length) await then?.();
      if (!closed) await new Promise<void>((resolve) => (wake = resolve));
      return { done: true, value: undefined };
    },
    async return() {
      closed = true;
      wake?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => source,
  };
  return source;
}

test('an UNAVAILABLE ending is resumed after the last cursor: every event once, in order', async () => {
  script = ({ after: cursor, n }) =>
    events(after(cursor).slice(0, n === 0 ? 3 : undefined), () => {
      throw coded('UNAVAILABLE');
    });
  const received = await untilDone(client().messageStream({ conversationId: 'c1' }));
  expect(received).toEqual(EVENTS);
  expect(subscriptions.map((subscribed) => subscribed.after)).toEqual([undefined, '3']);
});

test('a dropped connection is resumed on a new socket, after the cursor', async () => {
  script = ({ after: cursor, n }) => events(after(cursor).slice(0, n === 0 ? 4 : undefined), () => sockets[0]!.terminate());
  const received = await untilDone(client().messageStream({ conversationId: 'c1', after: '1' }));
  expect(received).toEqual(EVENTS.slice(1));
  expect(subscriptions.map((subscribed) => subscribed.after)).toEqual(['1', '5']);
  expect(sockets).toHaveLength(2);
});

test("a server's normal closure mid-stream: the reconnection asks for what follows the last cursor", async () => {
  script = ({ after: cursor, n }) => events(after(cursor).slice(0, n === 0 ? 2 : undefined), () => accepted[0]!.close(1000, 'bye'));
  const received = await untilDone(client().messageStream({ conversationId: 'c1' }));
  expect(received).toEqual(EVENTS);
  expect(subscriptions.map((subscribed) => subscribed.after)).toEqual([undefined, '2']);
});

test('the attempts are bounded: UNAVAILABLE every time ends the iterator UNAVAILABLE', async () => {
  script = () =>
    events([], () => {
      throw coded('UNAVAILABLE');
    });
  const failure = await untilDone(client({ resubscribe: { attempts: 2, delayMs: 10 } }).messageStream({ conversationId: 'c1' })).catch((error) => error);
  expect(failure).toBeInstanceOf(BuilderAIError);
  expect(failure.code).toBe('UNAVAILABLE');
  expect(failure.message).toMatch(/after 2 attempts/);
  expect(subscriptions).toHaveLength(3);
});

test('an event is a progress: the attempts count again after it', async () => {
  // Each subscription delivers one event, then fails: seven of them, past any bound of two in a row.
  script = ({ after: cursor }) =>
    events(after(cursor).slice(0, 1), () => {
      throw coded('UNAVAILABLE');
    });
  const received = await untilDone(client({ resubscribe: { attempts: 2, delayMs: 10 } }).messageStream({ conversationId: 'c1' }));
  expect(received).toEqual(EVENTS);
  expect(subscriptions).toHaveLength(EVENTS.length);
});

test('any other code ends the iterator with it, without trying again', async () => {
  script = () =>
    events(EVENTS.slice(0, 2), () => {
      throw coded('NOT_FOUND');
    });
  const iterator = client().messageStream({ conversationId: 'c1' });
  const seen: string[] = [];
  const failure = await (async () => {
    for await (const { messageStream } of iterator) seen.push(messageStream.cursor);
  })().catch((error) => error);
  expect(seen).toEqual(['1', '2']);
  expect(failure).toBeInstanceOf(BuilderAIError);
  expect(failure.code).toBe('NOT_FOUND');
  expect(subscriptions).toHaveLength(1);
  expect(await iterator.next()).toEqual({ done: true, value: undefined });
});

test('a token refused when connecting (4401) is tried once more with the one the app has now', async () => {
  refused = new Set(['old']);
  let calls = 0;
  script = ({ after: cursor }) => events(after(cursor));
  // The app has a new token by the time the first is refused.
  const iterator = client({ accessToken: () => (calls++ === 0 ? 'old' : 'new') }).messageStream({ conversationId: 'c1' });
  expect(await untilDone(iterator)).toEqual(EVENTS);
  expect(authorizations).toEqual(['Bearer old', 'Bearer new']);
});

test('a token refused again, or with none newer, ends the iterator UNAUTHENTICATED', async () => {
  refused = new Set(['old']);
  script = ({ after: cursor }) => events(after(cursor));
  const failure = await untilDone(client({ accessToken: () => 'old' }).messageStream({ conversationId: 'c1' })).catch((error) => error);
  expect(failure).toBeInstanceOf(BuilderAIError);
  expect(failure.code).toBe('UNAUTHENTICATED');
  expect(authorizations).toEqual(['Bearer old']);

  // An UNAUTHENTICATED error, then a refusal of the new token too.
  authorizations = [];
  refused = new Set(['newer']);
  let token = 'old';
  script = () =>
    events([], () => {
      token = 'newer';
      throw coded('UNAUTHENTICATED');
    });
  const again = await untilDone(client({ accessToken: () => token }).messageStream({ conversationId: 'c1' })).catch((error) => error);
  expect(again.code).toBe('UNAUTHENTICATED');
  expect(authorizations).toEqual(['Bearer old', 'Bearer newer']);
});

test('leaving the loop unsubscribes, and the last subscription gone closes the socket', async () => {
  script = ({ after: cursor }) => events(after(cursor));
  const seen: string[] = [];
  for await (const { messageStream } of client().messageStream({ conversationId: 'c1' })) {
    seen.push(messageStream.cursor);
    if (seen.length === 2) break;
  }
  expect(seen).toEqual(['1', '2']);
  await until(() => subscriptions[0]?.ended === true && sockets[0]?.readyState === WebSocket.CLOSED, 'the subscription to end and the socket to close');
  expect(subscriptions[0]!.ended).toBe(true);
  expect(sockets[0]!.readyState).toBe(WebSocket.CLOSED);
});

test('return() while a next() waits ends it at once', async () => {
  script = () => events([]);
  const iterator = client().messageStream({ conversationId: 'c1' });
  const waiting = iterator.next();
  await until(() => subscriptions.length === 1, 'the subscription to reach the server');
  await iterator.return();
  expect(await waiting).toEqual({ done: true, value: undefined });
  await until(() => subscriptions[0]?.ended === true, 'the subscription to end');
  expect(subscriptions[0]!.ended).toBe(true);
});

test("a client's subscriptions share one socket, and each resumes from its own cursor", async () => {
  script = ({ after: cursor, n }) => events(after(cursor).slice(0, n < 2 ? 2 + n : undefined), () => (n === 1 ? sockets[0]!.terminate() : undefined));
  const sdk = client();
  const [first, second] = await Promise.all([untilDone(sdk.messageStream({ conversationId: 'c1' })), untilDone(sdk.messageStream({ conversationId: 'c2' }))]);
  expect(first).toEqual(EVENTS);
  expect(second).toEqual(EVENTS);
  expect(sockets).toHaveLength(2);
  expect(subscriptions.slice(2).map((subscribed) => subscribed.after).sort()).toEqual(['2', '3']);
});

test('without a WebSocket (Node 20 given no webSocketImpl) the iterator fails with what to do', async () => {
  expect(typeof (globalThis as { WebSocket?: unknown }).WebSocket).toBe('undefined');
  const iterator = createClient({ url }).messageStream({ conversationId: 'c1' });
  await expect(iterator.next()).rejects.toThrow(/WebSocket implementation missing.*webSocketImpl/);
  expect(await iterator.next()).toEqual({ done: true, value: undefined });
});

test('a result with errors ends the iterator with them, and unsubscribes', async () => {
  script = ({ conversationId }) => (conversationId === 'c2' ? events(EVENTS) : events([EVENTS[0]!, { ...EVENTS[1]!, message: null as never }]));
  const sdk = client();
  // Another subscription holds the socket open: the server hears of the end through it.
  const other = sdk.messageStream({ conversationId: 'c2' });
  await other.next();
  const seen: string[] = [];
  const failure = await (async () => {
    for await (const { messageStream } of sdk.messageStream({ conversationId: 'c1' })) seen.push(messageStream.cursor);
  })().catch((error) => error);
  expect(seen).toEqual(['1']);
  expect(failure).toBeInstanceOf(BuilderAIError);
  expect(failure.message).toMatch(/non-nullable field MessageStreamEvent.message/);
  await sleep(100);
  expect(subscriptions.find((subscribed) => subscribed.conversationId === 'c1')!.ended).toBe(true);
  expect(sockets.map((socket) => socket.readyState)).toEqual([WebSocket.OPEN]);
  await other.return();
});

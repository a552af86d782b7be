// The floor: a bare graphql-ws server (useServer over a ws WebSocketServer) with a messageStream
// subscription of the chat's shape, fed by an in-process pub/sub. Each text message on the
// WebSocket at /publish is one DELTA event carrying it to every subscriber on /graphql (in order,
// and the producer never waits for the server, as with a Redis stream). Prints
// {"ready":true,"url":...}.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { buildSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';

const schema = buildSchema(`
  type Query { health: Boolean }
  type Subscription { messageStream(conversationId: ID!, after: String): MessageStreamEvent! }
  type MessageStreamEvent { cursor: String! type: MessageStreamEventType! message: Message! delta: String error: String }
  enum MessageStreamEventType { STARTED DELTA RESTARTED DONE ERROR CANCELLED }
  type Message { id: ID! status: MessageStatus! }
  enum MessageStatus { PENDING STREAMING COMPLETE FAILED CANCELLED }
`);

type Listener = (payload: unknown) => void;
const listeners = new Set<Listener>();

/** One subscriber's events: queued until it asks for them; return() unsubscribes. */
function listen(): AsyncIterableIterator<unknown> {
  const queue: unknown[] = [];
  let waiting: ((result: IteratorResult<unknown>) => void) | undefined;
  const push: Listener = (payload) => {
    if (!waiting) return void queue.push(payload);
    const wake = waiting;
    waiting = undefined;
    wake({ done: false, value: payload });
  };
  listeners.add(push);
  const iterator: AsyncIterableIterator<unknown> = {
    next: () => (queue.length ? Promise.resolve({ done: false, value: queue.shift() }) : new Promise((resolve) => (waiting = resolve))),
    async return() {
      listeners.delete(push);
      waiting?.({ done: true, value: undefined });
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

const message = { id: randomUUID(), status: 'COMPLETE' };
let sequence = 0;
const publish = (text: string) => {
  // A stream entry id for a cursor, as Redis would give one.
  const payload = { messageStream: { cursor: `${Date.now()}-${sequence++}`, type: 'DELTA', delta: text, error: null, message } };
  for (const listener of listeners) listener(payload);
};

const server = http.createServer((_, res) => void res.writeHead(404).end());
const subscribers = new WebSocketServer({ noServer: true });
const producers = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const wss = req.url === '/graphql' ? subscribers : req.url === '/publish' ? producers : undefined;
  if (!wss) return void socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
useServer({ schema, roots: { subscription: { messageStream: listen } } }, subscribers);
producers.on('connection', (producer) => producer.on('message', (data) => publish(String(data))));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ ready: true, url: `http://127.0.0.1:${port}` }));
});
process.once('SIGTERM', () => process.exit(0));
// A full collection before the benchmark reads the resident memory (started with --expose-gc).
process.on('SIGUSR2', () => globalThis.gc?.());

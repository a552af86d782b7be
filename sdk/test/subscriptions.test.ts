// Subscriptions through the router with the SDK: an answer's typed events in order; a connection
// dropped mid-answer resumed from the last cursor (the text whole, no event twice); logout ends
// the iterator UNAUTHENTICATED; a refused or expired access token is refreshed for the connection.
import WebSocket from 'ws';
import { BuilderAIError, createClient, type ClientOptions, type MessageStreamEventType, type MessageStreamSubscription } from '@builderai/sdk';
import { eventually, uniqueEmail } from '@builderai/testkit';
import { startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';
import { sockets, TrackedWebSocket } from './tracked-sockets.js';

type Event = MessageStreamSubscription['messageStream'];

let platform: PlatformWithModels;
beforeAll(async () => {
  platform = await startTestPlatformWithModels();
});
afterAll(async () => {
  await platform?.close();
});


/** A client through the tracked sockets, counting the refreshes it sends. */
function sdkClient(options: Partial<ClientOptions> = {}) {
  let refreshes = 0;
  const client = createClient({
    url: platform.graphqlUrl,
    session: {},
    webSocketImpl: TrackedWebSocket,
    fetch: (input, init) => {
      if (String(init?.body).includes('mutation RefreshToken')) refreshes += 1;
      return fetch(input, init);
    },
    ...options,
  });
  return { client, refreshes: () => refreshes };
}

/** A signed-up user's client (tokens kept by its session) and a conversation of theirs. */
async function chatter() {
  const { client, refreshes } = sdkClient();
  await client.register({ input: { email: uniqueEmail('sdk-subs'), password: 'correct horse 42', name: 'Streamer' } });
  const { createProject } = await client.createProject({ input: { name: 'Streamed' } });
  const { createConversation } = await client.createConversation({ input: { projectId: createProject.id } });
  return { client, conversationId: createConversation.id, refreshes };
}

/** The events until DONE, calling `each` with every one. */
async function untilDone(iterable: AsyncIterable<MessageStreamSubscription>, each?: (event: Event, index: number) => void): Promise<Event[]> {
  const events: Event[] = [];
  for await (const { messageStream } of iterable) {
    events.push(messageStream);
    each?.(messageStream, events.length - 1);
    if (messageStream.type === 'DONE') break;
  }
  return events;
}

const textOf = (events: Event[]) =>
  events
    .filter((event) => event.type === 'DELTA')
    .map((event) => event.delta)
    .join('');

test("an answer's typed events arrive in order through the router", async () => {
  const { client, conversationId } = await chatter();
  const live = untilDone(client.messageStream({ conversationId }));
  const { sendMessage } = await client.sendMessage({ input: { conversationId, content: 'echo one two three' } });

  const events = await live;
  const types: MessageStreamEventType[] = events.map((event) => event.type);
  expect(types).toEqual(['STARTED', 'DELTA', 'DELTA', 'DELTA', 'DONE']);
  expect(textOf(events)).toBe('one two three');
  const done = events.at(-1)!;
  expect(done.message).toMatchObject({ status: 'COMPLETE', content: 'one two three', error: null, parent: { id: sendMessage.id } });
  expect(done.message.metadata?.finishReason).toBe('stop');
  expect(new Set(events.map((event) => event.cursor)).size).toBe(events.length);
  // The iterator's end closes the client's one socket (its closing handshake takes a moment).
  await eventually(async () => (sockets.every((socket) => socket.readyState === WebSocket.CLOSED) ? true : undefined), 'the socket to close');
  expect(sockets).toHaveLength(1);
});

test('a connection dropped mid-answer is resumed from the cursor: the whole text, no event twice', async () => {
  const { client, conversationId } = await chatter();
  let deltas = 0;
  const live = untilDone(client.messageStream({ conversationId }), (event) => {
    if (event.type === 'DELTA' && ++deltas === 5) sockets[0]!.terminate();
  });
  await client.sendMessage({ input: { conversationId, content: 'slow 20' } });

  const events = await live;
  const answer = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
  expect(sockets).toHaveLength(2);
  expect(events.map((event) => event.type)).toEqual(['STARTED', ...Array(20).fill('DELTA'), 'DONE']);
  expect(textOf(events)).toBe(answer);
  expect(events.at(-1)!.message.content).toBe(answer);
  expect(new Set(events.map((event) => event.cursor)).size).toBe(events.length);
});

/** Follows the conversation's answers in the background: what arrives, and how the iterator ends. */
function follow(client: ReturnType<typeof createClient>, conversationId: string) {
  const seen: Event[] = [];
  const ended = (async () => {
    for await (const { messageStream } of client.messageStream({ conversationId })) seen.push(messageStream);
  })().then(
    () => 'completed',
    (error: unknown) => error,
  );
  return { seen, ended };
}

test('logout ends the iterator UNAUTHENTICATED', async () => {
  const { client, conversationId } = await chatter();
  const { seen, ended } = follow(client, conversationId);
  await client.sendMessage({ input: { conversationId, content: 'echo before logout' } });
  await eventually(async () => seen.some((event) => event.type === 'DONE') || undefined);
  await client.logout();

  const failure = (await ended) as BuilderAIError;
  expect(failure).toBeInstanceOf(BuilderAIError);
  expect(failure.code).toBe('UNAUTHENTICATED');
  expect(client.session!.tokens()).toBeNull();
});

test('an access token the router refuses (4401) is refreshed once, and the subscription goes on', async () => {
  const { client: first, conversationId } = await chatter();
  const tokens = first.session!.tokens()!;
  // A client that believes a forged access token valid: the router's 4401 is what tells it.
  const forged = { ...tokens, accessToken: `${tokens.accessToken.slice(0, -4)}AAAA`, accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString() };
  const { client, refreshes } = sdkClient({ session: { tokens: forged } });
  const live = untilDone(client.messageStream({ conversationId }));
  await first.sendMessage({ input: { conversationId, content: 'echo after a refresh' } });

  expect(textOf(await live)).toBe('after a refresh');
  expect(refreshes()).toBe(1);
  expect(sockets.length).toBe(2);
});

test('a connection made again after the access token expired refreshes it first', async () => {
  const { client, conversationId, refreshes } = await chatter();
  let deltas = 0;
  const before = client.session!.tokens()!;
  const live = untilDone(client.messageStream({ conversationId }), (event) => {
    if (event.type !== 'DELTA' || ++deltas !== 3) return;
    // The token is past its time now: the next connection needs a new one.
    client.session!.setTokens({ ...client.session!.tokens()!, accessTokenExpiresAt: new Date(Date.now() - 1000).toISOString() });
    sockets[0]!.terminate();
  });
  await client.sendMessage({ input: { conversationId, content: 'slow 10' } });

  expect(textOf(await live)).toBe(Array.from({ length: 10 }, (_, i) => `w${i}`).join(' '));
  expect(refreshes()).toBe(1);
  expect(client.session!.tokens()!.refreshToken).not.toBe(before.refreshToken);
  expect(sockets).toHaveLength(2);
});

// Last: it stops the chat subgraph.
test('UNAVAILABLE from the router is tried again, a bounded number of times', async () => {
  const { client: owner, conversationId } = await chatter();
  const { client } = sdkClient({ session: { tokens: owner.session!.tokens() }, resubscribe: { attempts: 2, delayMs: 50 } });
  const { seen, ended } = follow(client, conversationId);
  await client.sendMessage({ input: { conversationId, content: 'echo before the outage' } });
  await eventually(async () => seen.some((event) => event.type === 'DONE') || undefined);
  await platform.subgraphs.chat!.close();

  const failure = (await ended) as BuilderAIError;
  expect(failure).toBeInstanceOf(BuilderAIError);
  expect(failure.code).toBe('UNAVAILABLE');
  expect(failure.message).toMatch(/after 2 attempts/);
  expect(new Set(seen.map((event) => event.cursor)).size).toBe(seen.length);
});

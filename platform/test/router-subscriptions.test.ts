// Subscriptions at the router, as clients make them: graphql-ws on /graphql with the token in
// connectionParams, and graphql-sse (POST with Accept: text/event-stream). Each event carries
// fields of other subgraphs, resolved per event; strangers, anonymous callers and bad tokens are
// refused; logout ends an open subscription at once; identical subscriptions share one upstream.
import WebSocket from 'ws';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import { graphql, uniqueEmail } from '@builderai/testkit';
import { startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }`;
const STREAM = `subscription ($id: ID!, $after: String) {
  messageStream(conversationId: $id, after: $after) {
    cursor type delta
    message { id status content conversation { title project { name } } }
  }
}`;
const QUESTION_AUTHOR = `subscription ($id: ID!) { messageStream(conversationId: $id) { type message { parent { author { profile { name } } } } } }`;

let platform: PlatformWithModels;
const clients: Client[] = [];
beforeAll(async () => {
  platform = await startTestPlatformWithModels({ MAX_SUBSCRIPTIONS_PER_CONNECTION: '3', MAX_SUBSCRIPTIONS_PER_USER: '6', CHAT_IDLE_TIMEOUT_MS: '700' });
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await platform?.close();
});

const wsUrl = () => platform.graphqlUrl.replace(/^http/, 'ws');

async function newUser(name = 'Streamer') {
  const { data } = await graphql(platform.graphqlUrl, REGISTER, { input: { email: uniqueEmail('subs'), password: 'correct horse 42', name } });
  const token = data.register.accessToken as string;
  const ask = (query: string, variables: Record<string, unknown> = {}) => graphql(platform.graphqlUrl, query, variables, { token });
  return { token, userId: data.register.user.id as string, ask };
}

async function conversationOf(user: Awaited<ReturnType<typeof newUser>>, projectName = 'Streamed') {
  const projectId = (await user.ask(`mutation ($n: String!) { createProject(input: { name: $n }) { id } }`, { n: projectName })).data.createProject.id;
  return (await user.ask(`mutation ($p: ID!) { createConversation(input: { projectId: $p, title: "Plans" }) { id } }`, { p: projectId })).data.createConversation.id as string;
}

const send = (user: Awaited<ReturnType<typeof newUser>>, conversationId: string, content: string) =>
  user.ask(`mutation ($c: ID!, $t: String!) { sendMessage(input: { conversationId: $c, content: $t }) { id } }`, { c: conversationId, t: content });

function wsClient(connectionParams: Record<string, unknown> = {}, onClose?: (event: { code: number; reason: string }) => void): Client {
  const client = createWsClient({ url: wsUrl(), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams, on: { closed: (event) => onClose?.(event as { code: number; reason: string }) } });
  clients.push(client);
  return client;
}

/** Results until `until` says stop; rejects with the errors of an error message. */
async function resultsOf(iterable: AsyncIterable<any>, until: (data: any) => boolean): Promise<any[]> {
  const results: any[] = [];
  for await (const result of iterable) {
    if (result.errors) throw Object.assign(new Error(result.errors[0].message), { errors: result.errors });
    results.push(result.data);
    if (until(result.data)) break;
  }
  return results;
}

const codeOf = (error: any) => error?.errors?.[0]?.extensions?.code ?? error?.[0]?.extensions?.code;
/** The code a subscription was refused or ended with. */
async function refusal(subscription: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await subscription;
  } catch (error: any) {
    return { code: codeOf(error), message: error?.message ?? error?.[0]?.message };
  }
  throw new Error('the subscription was not refused');
}
const settle = (ms = 200) => new Promise((resolve) => setTimeout(resolve, ms));

test('over graphql-ws an answer arrives in order, with fields from projects resolved per event', async () => {
  const user = await newUser();
  const conversationId = await conversationOf(user, 'Garden planner');
  const client = wsClient({ authorization: `Bearer ${user.token}` });
  const live = resultsOf(client.iterate({ query: STREAM, variables: { id: conversationId } }), (data) => data.messageStream.type === 'DONE');
  await settle();
  await send(user, conversationId, 'echo one two three');

  const events = (await live).map((data) => data.messageStream);
  expect(events.map((event) => event.type)).toEqual(['STARTED', 'DELTA', 'DELTA', 'DELTA', 'DONE']);
  expect(events.filter((event) => event.type === 'DELTA').map((event) => event.delta).join('')).toBe('one two three');
  expect(events.at(-1).message).toMatchObject({ status: 'COMPLETE', content: 'one two three', conversation: { title: 'Plans', project: { name: 'Garden planner' } } });
  expect(new Set(events.map((event) => event.cursor)).size).toBe(events.length);

  // Back with the cursor of the second event: exactly the rest, once.
  const resumed = await resultsOf(client.iterate({ query: STREAM, variables: { id: conversationId, after: events[1].cursor } }), (data) => data.messageStream.type === 'DONE');
  expect(resumed.map((data) => data.messageStream.cursor)).toEqual(events.slice(2).map((event) => event.cursor));
});

test("a user's profile from the users subgraph arrives inside each event", async () => {
  const user = await newUser('Grace Hopper');
  const conversationId = await conversationOf(user);
  const client = wsClient({ authorization: `Bearer ${user.token}` });
  const live = resultsOf(client.iterate({ query: QUESTION_AUTHOR, variables: { id: conversationId } }), (data) => data.messageStream.type === 'DONE');
  await settle();
  await send(user, conversationId, 'echo hi');
  const events = await live;
  expect(events.at(-1)).toEqual({ messageStream: { type: 'DONE', message: { parent: { author: { profile: { name: 'Grace Hopper' } } } } } });
});

test("a provider's failures, a 429 and a stop arrive as events of the answer, each with the stored message", async () => {
  const user = await newUser();
  const conversationId = await conversationOf(user);
  const client = wsClient({ authorization: `Bearer ${user.token}` });
  let last: string | undefined;
  /** The events of the next answer, from STARTED to its end (after the ones seen before). */
  const answerTo = async (content: string, whileStreaming?: (events: any[]) => Promise<void>) => {
    const events: any[] = [];
    const ended = resultsOf(client.iterate({ query: STREAM, variables: { id: conversationId, after: last } }), (data) => {
      events.push(data.messageStream);
      return ['DONE', 'ERROR', 'CANCELLED'].includes(data.messageStream.type);
    });
    await settle();
    await send(user, conversationId, content);
    await whileStreaming?.(events);
    await ended;
    last = events.at(-1).cursor;
    expect(events[0].type).toBe('STARTED');
    return events;
  };

  const broken = await answerTo('fail mid-stream');
  expect(broken.map((event) => event.type)).toEqual(['STARTED', 'DELTA', 'ERROR']);
  expect(broken.at(-1).message).toMatchObject({ status: 'FAILED', content: broken[1].delta });

  const stalled = await answerTo('stall');
  expect(stalled.at(-1)).toMatchObject({ type: 'ERROR', message: { status: 'FAILED', content: 'Thinking' } });

  const busy = await answerTo('busy once then echo fine');
  expect(busy.at(-1)).toMatchObject({ type: 'DONE', message: { status: 'COMPLETE' } });

  const stopped = await answerTo('slow 40', async (events) => {
    while (events.filter((event) => event.type === 'DELTA').length < 3) await settle(20);
    const messageId = events[0].message.id;
    expect((await user.ask('mutation ($id: ID!) { stopGeneration(messageId: $id) { id } }', { id: messageId })).errors).toBeUndefined();
  });
  const written = stopped.filter((event) => event.type === 'DELTA').map((event) => event.delta).join('');
  expect(stopped.at(-1)).toMatchObject({ type: 'CANCELLED', message: { status: 'CANCELLED', content: written } });
  expect(written.split(' ').length).toBeLessThan(40);
});

test('over graphql-sse the same answer arrives with the token in the Authorization header', async () => {
  const user = await newUser();
  const conversationId = await conversationOf(user, 'SSE app');
  const client = createSseClient({ url: platform.graphqlUrl, headers: { authorization: `Bearer ${user.token}` }, retryAttempts: 0 });
  try {
    const live = resultsOf(client.iterate({ query: STREAM, variables: { id: conversationId } }), (data) => data.messageStream.type === 'DONE');
    await settle();
    await send(user, conversationId, 'echo over sse');
    const events = (await live).map((data) => data.messageStream);
    expect(events.map((event) => event.type)).toEqual(['STARTED', 'DELTA', 'DELTA', 'DONE']);
    expect(events.at(-1).message).toMatchObject({ content: 'over sse', conversation: { project: { name: 'SSE app' } } });
  } finally {
    client.dispose();
  }

  // A client that goes away mid-stream ends its subscription at the router.
  await settle();
  const before = platform.router.subscriptions().open;
  const controller = new AbortController();
  const response = await fetch(platform.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${user.token}` },
    body: JSON.stringify({ query: STREAM, variables: { id: conversationId } }),
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  await settle();
  expect(platform.router.subscriptions().open).toBe(before + 1);
  controller.abort();
  await settle();
  expect(platform.router.subscriptions().open).toBe(before);
});

test("a stranger's subscription, an anonymous one and a bad token are refused", async () => {
  const owner = await newUser();
  const stranger = await newUser();
  const conversationId = await conversationOf(owner);

  expect((await refusal(resultsOf(wsClient({ authorization: `Bearer ${stranger.token}` }).iterate({ query: STREAM, variables: { id: conversationId } }), () => true))).code).toBe('NOT_FOUND');
  expect((await refusal(resultsOf(wsClient().iterate({ query: STREAM, variables: { id: conversationId } }), () => true))).code).toBe('UNAUTHENTICATED');

  let closed: { code: number; reason: string } | undefined;
  const forged = wsClient({ authorization: 'Bearer not-a-token' }, (event) => (closed = event));
  await expect(resultsOf(forged.iterate({ query: STREAM, variables: { id: conversationId } }), () => true)).rejects.toBeDefined();
  expect(closed).toMatchObject({ code: 4401, reason: 'Invalid access token' });

  const sse = await fetch(platform.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer not-a-token' },
    body: JSON.stringify({ query: STREAM, variables: { id: conversationId } }),
  });
  expect(sse.status).toBe(401);
  expect((await sse.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
});

test('queries, bad documents and operations past the limits are refused with a code', async () => {
  const user = await newUser();
  const client = wsClient({ authorization: `Bearer ${user.token}` });
  expect((await refusal(resultsOf(client.iterate({ query: '{ me { id } }' }), () => true))).code).toBe('BAD_REQUEST');
  expect((await refusal(resultsOf(client.iterate({ query: 'subscription { nope }' }), () => true))).code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect((await refusal(resultsOf(client.iterate({ query: STREAM, variables: { id: { not: 'an id' } } }), () => true))).code).toBe('BAD_USER_INPUT');
  const deep = `subscription ($id: ID!) { messageStream(conversationId: $id) { message { ${'parent { '.repeat(14)}id${' }'.repeat(14)} } } }`;
  expect(await refusal(resultsOf(client.iterate({ query: deep, variables: { id: '00000000-0000-0000-0000-000000000000' } }), () => true))).toMatchObject({
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: expect.stringMatching(/nested/),
  });
});

test('logout ends an open subscription at once', async () => {
  const user = await newUser();
  const conversationId = await conversationOf(user);
  const client = wsClient({ authorization: `Bearer ${user.token}` });
  const live = resultsOf(client.iterate({ query: STREAM, variables: { id: conversationId } }), () => false);
  await settle();
  const started = Date.now();
  expect((await user.ask('mutation { logout }')).errors).toBeUndefined();
  expect((await refusal(live)).code).toBe('UNAUTHENTICATED');
  expect(Date.now() - started).toBeLessThan(1000);
  // The token itself is still unexpired: its session is what was revoked.
  let closed: { code: number; reason: string } | undefined;
  const again = wsClient({ authorization: `Bearer ${user.token}` }, (event) => (closed = event));
  await expect(resultsOf(again.iterate({ query: STREAM, variables: { id: conversationId } }), () => true)).rejects.toBeDefined();
  expect(closed).toMatchObject({ code: 4401, reason: 'Session has been revoked' });
});

test('identical subscriptions share one upstream subscription, and each gets every event', async () => {
  const user = await newUser();
  const conversationId = await conversationOf(user);
  const before = platform.router.subscriptions();
  const subscribers = Array.from({ length: 5 }, () => wsClient({ authorization: `Bearer ${user.token}` }));
  const lives = subscribers.map((client) => resultsOf(client.iterate({ query: STREAM, variables: { id: conversationId } }), (data) => data.messageStream.type === 'DONE'));
  await settle(300);
  expect(platform.router.subscriptions().upstreams - before.upstreams).toBe(1);
  expect(platform.router.subscriptions().open - before.open).toBe(5);
  await send(user, conversationId, 'echo shared by five');
  const all = await Promise.all(lives);
  for (const events of all) expect(events.map((data) => data.messageStream.cursor)).toEqual(all[0]!.map((data) => data.messageStream.cursor));
  expect(all[0]!.length).toBe(5);
  await settle(100);
  expect(platform.router.subscriptions()).toEqual(before);
});

test('a connection holds at most MAX_SUBSCRIPTIONS_PER_CONNECTION, a user at most MAX_SUBSCRIPTIONS_PER_USER', async () => {
  const user = await newUser();
  const conversationId = await conversationOf(user);
  const subscribeOn = (client: Client) => resultsOf(client.iterate({ query: STREAM, variables: { id: conversationId } }), () => false);
  /** Holds a subscription open until its client goes. */
  const hold = (client: Client) => void subscribeOn(client).catch(() => {});
  const first = wsClient({ authorization: `Bearer ${user.token}` });
  for (let i = 0; i < 3; i++) hold(first);
  await settle(300);
  expect(await refusal(subscribeOn(first))).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/connection may hold 3/) });

  const second = wsClient({ authorization: `Bearer ${user.token}` });
  for (let i = 0; i < 3; i++) hold(second);
  await settle(300);
  expect(await refusal(subscribeOn(wsClient({ authorization: `Bearer ${user.token}` })))).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/At most 6/) });

  // Closing a connection frees its subscriptions.
  await first.dispose();
  await settle(100);
  const third = wsClient({ authorization: `Bearer ${user.token}` });
  const again = resultsOf(third.iterate({ query: STREAM, variables: { id: conversationId } }), (data) => data.messageStream.type === 'DONE');
  await settle();
  await send(user, conversationId, 'echo room again');
  expect((await again).at(-1).messageStream.message.content).toBe('room again');
  await second.dispose();
});

// Last: it stops the chat subgraph.
test('a subgraph that goes away ends the subscription with UNAVAILABLE, never silently', async () => {
  const user = await newUser();
  const conversationId = await conversationOf(user);
  const client = wsClient({ authorization: `Bearer ${user.token}` });
  const ending = refusal(resultsOf(client.iterate({ query: STREAM, variables: { id: conversationId } }), () => false));
  await settle(300);
  await platform.subgraphs.chat!.close();
  const ended = await ending;
  expect(ended.code).toBe('UNAVAILABLE');
  expect(ended.message).toMatch(/subscribe again/);
});

// The chat subgraph's messageStream subscription, over graphql-ws as the router will call it
// (an identity the router signed for chat): the events of an answer in order, each once; a
// subscriber that comes back with its cursor gets exactly what it missed, and one that comes
// back after the stream expired is told how the answers it followed ended, from the database;
// someone else's conversation is refused.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity, type Identity } from '@builderai/kit';
import { graphql, uniqueEmail } from '@builderai/testkit';
import { decodeJwt } from 'jose';
import { createClient as createRedisClient } from 'redis';
import { startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`;
const STREAM = `subscription ($id: ID!, $after: String) {
  messageStream(conversationId: $id, after: $after) { cursor type delta error message { id status content } }
}`;

let platform: PlatformWithModels;
const clients: Client[] = [];
beforeAll(async () => {
  platform = await startTestPlatformWithModels();
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await platform?.close();
});

async function newUser() {
  const { data } = await graphql(platform.graphqlUrl, REGISTER, { input: { email: uniqueEmail('stream'), password: 'correct horse 42', name: 'Streamer' } });
  const token = data.register.accessToken as string;
  const claims = decodeJwt(token);
  const identity: Identity = { userId: claims.sub, sessionId: claims.sid as string, roles: claims.roles as string[] };
  return { identity, ask: (query: string, variables: Record<string, unknown> = {}) => graphql(platform.graphqlUrl, query, variables, { token }) };
}

/** A graphql-ws connection to the chat subgraph, as the router opens one for `identity`. */
function chatClient(identity: Identity): Client {
  const requestId = randomUUID();
  const url = platform.subgraphs.chat!.graphqlUrl.replace(/^http/, 'ws');
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: { [IDENTITY_HEADER]: signIdentity(identity, platform.keys.identityPrivateKey, { subgraph: 'chat', requestId }), [REQUEST_ID_HEADER]: requestId },
  });
  clients.push(client);
  return client;
}

/** Events until `until` says stop; the subscription ends then. */
async function eventsOf(client: Client, variables: Record<string, unknown>, until: (event: any) => boolean): Promise<any[]> {
  const events: any[] = [];
  const subscription = client.iterate({ query: STREAM, variables });
  for await (const result of subscription) {
    if (result.errors) throw Object.assign(new Error(result.errors[0]!.message), { errors: result.errors });
    events.push(result.data!.messageStream);
    if (until(result.data!.messageStream)) break;
  }
  return events;
}

async function conversationOf(user: Awaited<ReturnType<typeof newUser>>) {
  const projectId = (await user.ask(`mutation { createProject(input: { name: "Streamed" }) { id } }`)).data.createProject.id;
  return (await user.ask(`mutation ($p: ID!) { createConversation(input: { projectId: $p }) { id } }`, { p: projectId })).data.createConversation.id as string;
}

test('an answer arrives event by event, in order, and a subscriber resumes from its cursor', async () => {
  const user = await newUser();
  const conversationId = await conversationOf(user);
  const live = eventsOf(chatClient(user.identity), { id: conversationId }, (event) => event.type === 'DONE');
  await new Promise((resolve) => setTimeout(resolve, 200));
  await user.ask(`mutation ($c: ID!) { sendMessage(input: { conversationId: $c, content: "echo one two three" }) { id } }`, { c: conversationId });

  const events = await live;
  expect(events.map((event) => event.type)).toEqual(['STARTED', 'DELTA', 'DELTA', 'DELTA', 'DONE']);
  expect(events.filter((event) => event.type === 'DELTA').map((event) => event.delta).join('')).toBe('one two three');
  expect(events.at(-1).message).toMatchObject({ status: 'COMPLETE', content: 'one two three' });
  expect(new Set(events.map((event) => event.cursor)).size).toBe(events.length);

  // Back after the second event: exactly the rest, once (the stream still covers the cursor:
  // nothing is told from the database).
  const resumed = await eventsOf(chatClient(user.identity), { id: conversationId, after: events[1].cursor }, (event) => event.type === 'DONE');
  expect(resumed.map((event) => event.cursor)).toEqual(events.slice(2).map((event) => event.cursor));
});

/** What the conversation's stream holds goes, as when it expires. */
async function expireStream(conversationId: string) {
  const redis = createRedisClient({ url: process.env.REDIS_URL });
  await redis.connect();
  try {
    expect(await redis.del(`${process.env.REDIS_PREFIX}stream:conversation:${conversationId}`)).toBe(1);
  } finally {
    await redis.quit();
  }
}

test('a subscriber back after the stream expired is told how the answers it followed ended, once, then follows new ones', async () => {
  const user = await newUser();
  const conversationId = await conversationOf(user);
  const send = (content: string) => user.ask(`mutation ($c: ID!, $t: String!) { sendMessage(input: { conversationId: $c, content: $t }) { id } }`, { c: conversationId, t: content });
  const ends = (event: any) => ['DONE', 'ERROR', 'CANCELLED'].includes(event.type);

  const first = eventsOf(chatClient(user.identity), { id: conversationId }, ends);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await send('echo one two three');
  const answered = await first;
  const answer = answered.at(-1).message;
  await expireStream(conversationId);

  // Back with the cursor of the answer's first event: its end, with the stored answer, then
  // the next answer live (a new stream), and the first one not again.
  const back = chatClient(user.identity);
  const told: any[] = [];
  const following = (async () => {
    for await (const result of back.iterate({ query: STREAM, variables: { id: conversationId, after: answered[0].cursor } })) {
      told.push(result.data!.messageStream);
      if (told.length > 1 && ends(told.at(-1))) break;
    }
  })();
  while (told.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(told[0]).toMatchObject({ type: 'DONE', delta: null, error: null, message: { id: answer.id, status: 'COMPLETE', content: 'one two three' } });
  await send('fail mid-stream');
  await following;
  const failed = told.at(-1);
  expect(failed).toMatchObject({ type: 'ERROR', message: { status: 'FAILED', content: 'Half' } });
  expect(failed.error).toEqual(expect.any(String));
  expect(failed.message.id).not.toBe(answer.id);
  expect(told.map((event) => event.type)).toEqual(['DONE', 'STARTED', 'DELTA', 'ERROR']);
  expect(told.filter((event) => event.message.id === answer.id)).toHaveLength(1);

  // The stream now began after that cursor: the first answer's end from the database, the
  // second's events from the stream, with their own cursors, each once.
  const again = await eventsOf(chatClient(user.identity), { id: conversationId, after: answered[0].cursor }, (event) => event.type === 'ERROR');
  expect(again.map((event) => event.cursor)).toEqual(told.map((event) => event.cursor));
  expect(again[0]).toMatchObject({ type: 'DONE', message: { id: answer.id } });

  // The stored end's cursor resumes after it: with the stream gone again, the second answer's
  // end from the database (its reason with it), then a new answer live.
  await expireStream(conversationId);
  const later: any[] = [];
  const resumed = (async () => {
    for await (const result of chatClient(user.identity).iterate({ query: STREAM, variables: { id: conversationId, after: told[0].cursor } })) {
      later.push(result.data!.messageStream);
      if (later.at(-1).type === 'DONE') break;
    }
  })();
  while (later.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(later[0]).toMatchObject({ type: 'ERROR', error: failed.error, message: { id: failed.message.id, status: 'FAILED' } });
  await send('echo four');
  await resumed;
  expect(later.map((event) => event.type)).toEqual(['ERROR', 'STARTED', 'DELTA', 'DONE']);
  expect(later.at(-1).message).toMatchObject({ status: 'COMPLETE', content: 'four' });
  expect(new Set(later.map((event) => event.message.id)).size).toBe(2);
});

test("someone else's conversation, or a cursor that is not one, is refused", async () => {
  const owner = await newUser();
  const stranger = await newUser();
  const conversationId = await conversationOf(owner);
  await expect(eventsOf(chatClient(stranger.identity), { id: conversationId }, () => true)).rejects.toMatchObject({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })] });
  await expect(eventsOf(chatClient(owner.identity), { id: conversationId, after: 'nope' }, () => true)).rejects.toMatchObject({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })] });
});

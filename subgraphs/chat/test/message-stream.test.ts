// The chat subgraph's messageStream subscription, over graphql-ws as the router will call it
// (an identity the router signed for chat): the events of an answer in order, each once; a
// subscriber that comes back with its cursor gets exactly what it missed; someone else's
// conversation is refused.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity, type Identity } from '@builderai/kit';
import { graphql, uniqueEmail } from '@builderai/testkit';
import { decodeJwt } from 'jose';
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

  // Back after the second event: exactly the rest, once.
  const resumed = await eventsOf(chatClient(user.identity), { id: conversationId, after: events[1].cursor }, (event) => event.type === 'DONE');
  expect(resumed.map((event) => event.cursor)).toEqual(events.slice(2).map((event) => event.cursor));
});

test("someone else's conversation, or a cursor that is not one, is refused", async () => {
  const owner = await newUser();
  const stranger = await newUser();
  const conversationId = await conversationOf(owner);
  await expect(eventsOf(chatClient(stranger.identity), { id: conversationId }, () => true)).rejects.toMatchObject({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })] });
  await expect(eventsOf(chatClient(owner.identity), { id: conversationId, after: 'nope' }, () => true)).rejects.toMatchObject({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })] });
});

// Chat on several instances, as deployed: the router's subscription is served by one chat
// instance while the answer is written by another; that writer dies mid-answer (its database,
// Redis and RabbitMQ connections cut at once, as a killed process's are) and a third takes the
// job again. The subscriber sees every event in order and once, the restart said explicitly,
// and the complete answer; one that comes back with its cursor misses nothing.
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import chat from '@builderai/chat';
import { databaseUrlFor } from '@builderai/kit';
import { FAKE_OPENAI_API_KEY, graphql, startTcpProxy, startTestService, uniqueEmail, type TcpProxy, type TestService } from '@builderai/testkit';
import { startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';

const STREAM = `subscription ($id: ID!, $after: String) {
  messageStream(conversationId: $id, after: $after) { cursor type delta message { id status content } }
}`;
const ANSWER_JOBS = 'chat.answers';

let platform: PlatformWithModels;
const clients: Client[] = [];
const workers: Array<{ service: TestService; proxies: TcpProxy[] }> = [];

beforeAll(async () => {
  // The platform's chat serves the API and subscriptions only; workers write the answers.
  const apiOnly = { ...chat, consumes: (chat.consumes ?? []).filter((consumer) => consumer.queue !== ANSWER_JOBS) };
  platform = await startTestPlatformWithModels({}, { definitions: { chat: apiOnly } });
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  for (const { service, proxies } of workers) {
    for (const proxy of proxies) proxy.restore();
    await service.close();
    for (const proxy of proxies) await proxy.close();
  }
  await platform?.close();
});

/** A chat instance that writes answers, reaching Postgres, Redis and RabbitMQ through proxies a test can cut. */
async function startWorker() {
  const viaProxy = async (url: string) => {
    const parsed = new URL(url);
    const proxy = await startTcpProxy(parsed.hostname, Number(parsed.port));
    parsed.hostname = '127.0.0.1';
    parsed.port = String(proxy.port);
    return { proxy, url: parsed.toString() };
  };
  const database = await viaProxy(databaseUrlFor('chat')!);
  const redis = await viaProxy(process.env.REDIS_URL!);
  const amqp = await viaProxy(process.env.AMQP_URL!);
  const service = await startTestService(chat, {
    infrastructure: 'real',
    env: { CHAT_DATABASE_URL: database.url, REDIS_URL: redis.url, AMQP_URL: amqp.url, OPENAI_BASE_URL: platform.openai.baseUrl, OPENAI_API_KEY: FAKE_OPENAI_API_KEY },
  });
  const worker = { service, proxies: [database.proxy, redis.proxy, amqp.proxy] };
  workers.push(worker);
  return { ...worker, kill: () => Promise.all(worker.proxies.map((proxy) => proxy.cut())) };
}

async function newUser() {
  const { data } = await graphql(platform.graphqlUrl, `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`, {
    input: { email: uniqueEmail('instances'), password: 'correct horse 42', name: 'Multi' },
  });
  const token = data.register.accessToken as string;
  return { token, ask: (query: string, variables: Record<string, unknown> = {}) => graphql(platform.graphqlUrl, query, variables, { token }) };
}

function subscribe(token: string, variables: Record<string, unknown>, onEvent: (event: any) => void): Promise<void> {
  const client = createClient({ url: platform.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
  clients.push(client);
  return new Promise((resolve, reject) => {
    const stop = client.subscribe(
      { query: STREAM, variables },
      {
        next: (result) => {
          if (result.errors) return reject(result.errors);
          const event = (result.data as any).messageStream;
          onEvent(event);
          if (event.type === 'DONE' || event.type === 'ERROR') {
            stop();
            resolve();
          }
        },
        error: reject,
        complete: resolve,
      },
    );
  });
}

const waitFor = async (check: () => boolean, what: string, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

test('an answer written on another instance arrives in order and once; its writer dies and another finishes it, the restart shown', async () => {
  const first = await startWorker();
  const user = await newUser();
  const projectId = (await user.ask(`mutation { createProject(input: { name: "Relay" }) { id } }`)).data.createProject.id;
  const conversationId = (await user.ask(`mutation ($p: ID!) { createConversation(input: { projectId: $p }) { id } }`, { p: projectId })).data.createConversation.id;

  const events: any[] = [];
  const done = subscribe(user.token, { id: conversationId }, (event) => events.push(event));
  await new Promise((resolve) => setTimeout(resolve, 200));
  await user.ask(`mutation ($c: ID!) { sendMessage(input: { conversationId: $c, content: "slow 30" }) { id } }`, { c: conversationId });

  // The first worker writes some of the answer, then dies; a second one takes the job again.
  await waitFor(() => events.filter((event) => event.type === 'DELTA').length >= 5, 'the first words');
  const second = await startWorker();
  await first.kill();
  await done;

  const types = events.map((event) => event.type);
  expect(types[0]).toBe('STARTED');
  expect(types).toContain('RESTARTED');
  expect(types.at(-1)).toBe('DONE');
  expect(new Set(events.map((event) => event.cursor)).size).toBe(events.length);
  // After the restart, the answer is written anew from its first word, whole.
  const afterRestart = events.slice(types.lastIndexOf('RESTARTED') + 1).filter((event) => event.type === 'DELTA').map((event) => event.delta).join('');
  const finished = events.at(-1).message;
  expect(finished.status).toBe('COMPLETE');
  expect(afterRestart).toBe(finished.content);
  expect(finished.content.split(' ').length).toBe(30);
  expect(second.service.service.graphqlUrl).not.toBe(first.service.service.graphqlUrl);

  // A subscriber that comes back after the fifth event gets exactly the rest, once.
  const resumed: any[] = [];
  await subscribe(user.token, { id: conversationId, after: events[4].cursor }, (event) => resumed.push(event));
  expect(resumed.map((event) => event.cursor)).toEqual(events.slice(5).map((event) => event.cursor));
});

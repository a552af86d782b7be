// The AI's answers, through the router, from a local server speaking OpenAI's protocol: the
// answer streams into its Redis Stream and is stored once with its usage; the project moves to
// GENERATING and back to READY through chat's events; a provider that fails, stalls or is busy
// gives a FAILED answer with a readable reason, or a retried success; a model whose provider is
// not configured is refused up front, naming the variable.
import { eventually, graphql, uniqueEmail } from '@builderai/testkit';
import pg from 'pg';
import { createEnvelope, databaseUrlFor } from '@builderai/kit';
import { startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`;
const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`;
const CREATE = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`;
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;
const ANSWERS = `query ($id: ID!) {
  conversation(id: $id) {
    project { status }
    messages { edges { node { id sender content status error parent { id } metadata { model promptTokens completionTokens latencyMs finishReason } } } }
  }
}`;

let platform: PlatformWithModels;
beforeAll(async () => {
  platform = await startTestPlatformWithModels({ CHAT_IDLE_TIMEOUT_MS: '700', CHAT_FIRST_TOKEN_TIMEOUT_MS: '5000' });
});
afterAll(async () => {
  await platform?.close();
});

async function conversationWith(llm = 'gpt-4o-mini') {
  const { data } = await graphql(platform.graphqlUrl, REGISTER, { input: { email: uniqueEmail('gen'), password: 'correct horse 42', name: 'Gen' } });
  const token = data.register.accessToken as string;
  const ask = (query: string, variables: Record<string, unknown> = {}) => graphql(platform.graphqlUrl, query, variables, { token });
  const projectId = (await ask(CREATE_PROJECT, { input: { name: 'Generated', llm } })).data.createProject.id;
  const conversationId = (await ask(CREATE, { input: { projectId } })).data.createConversation.id;
  return { ask, conversationId, projectId };
}

/** The answer's events in its conversation's stream, without their message id. */
async function streamedFor(conversationId: string, messageId: string) {
  const entries = await platform.infra.streams.read(`conversation:${conversationId}`, undefined, 500);
  return entries.filter((entry) => entry.fields.messageId === messageId).map(({ fields: { messageId: _id, ...fields } }) => fields);
}

/** Sends `content` and waits for the answer to settle; returns it and the project's status. */
async function answerTo(chat: Awaited<ReturnType<typeof conversationWith>>, content: string) {
  const sent = await chat.ask(SEND, { input: { conversationId: chat.conversationId, content } });
  expect(sent.errors).toBeUndefined();
  return eventually(async () => {
    const { conversation } = (await chat.ask(ANSWERS, { id: chat.conversationId })).data;
    const answer = conversation.messages.edges.map((edge: any) => edge.node).find((node: any) => node.parent?.id === sent.data.sendMessage.id);
    return answer && !['PENDING', 'STREAMING'].includes(answer.status) ? { answer, projectStatus: conversation.project.status } : undefined;
  }, 'the answer to settle');
}

test('an answer streams in, is stored once with its usage, and the project follows GENERATING → READY', async () => {
  const chat = await conversationWith();
  const { answer } = await answerTo(chat, 'echo A recipe box with tags');
  expect(answer).toMatchObject({ sender: 'ASSISTANT', status: 'COMPLETE', content: 'A recipe box with tags', error: null });
  expect(answer.metadata).toMatchObject({ model: 'gpt-4o-mini', promptTokens: 42, completionTokens: 5, finishReason: 'stop' });
  expect(answer.metadata.latencyMs).toBeGreaterThanOrEqual(0);

  // The chunks are in the answer's stream, in order, ending with done.
  expect(await streamedFor(chat.conversationId, answer.id)).toEqual([
    { type: 'started' },
    ...['A', ' recipe', ' box', ' with', ' tags'].map((text) => ({ type: 'delta', text })),
    { type: 'done' },
  ]);
  // The model read the system prompt and the user's message.
  const request = platform.openai.requests.at(-1)!;
  expect(request.model).toBe('gpt-4o-mini');
  expect(request.messages.map((message) => message.role)).toEqual(['system', 'user']);
  await eventually(async () => ((await chat.ask(ANSWERS, { id: chat.conversationId })).data.conversation.project.status === 'READY' ? true : undefined));
});

test('the next turn sends the conversation so far', async () => {
  const chat = await conversationWith();
  await answerTo(chat, 'echo First answer');
  await answerTo(chat, 'echo Second answer');
  expect(platform.openai.requests.at(-1)!.messages.map((message) => `${message.role}: ${message.content}`)).toEqual([
    expect.stringMatching(/^system: /),
    'user: echo First answer',
    'assistant: First answer',
    'user: echo Second answer',
  ]);
});

test('a provider that breaks off mid-stream gives a FAILED answer with the text so far and a readable reason', async () => {
  const chat = await conversationWith();
  const { answer } = await answerTo(chat, 'fail mid-stream');
  expect(answer).toMatchObject({ status: 'FAILED', content: 'Half' });
  expect(answer.error).toMatch(/broke off|could not be reached/);
  expect((await streamedFor(chat.conversationId, answer.id)).at(-1)).toMatchObject({ type: 'error' });
});

test('a provider that stalls is given up on after CHAT_IDLE_TIMEOUT_MS', async () => {
  const chat = await conversationWith();
  const { answer } = await answerTo(chat, 'stall');
  expect(answer).toMatchObject({ status: 'FAILED', content: 'Thinking', error: 'The model stopped sending for 0.7 s' });
});

test('a 429 is retried, honouring Retry-After, and the answer completes', async () => {
  const chat = await conversationWith();
  const before = platform.openai.requests.length;
  const { answer } = await answerTo(chat, 'busy once then fine');
  expect(answer).toMatchObject({ status: 'COMPLETE', content: 'then fine' });
  expect(platform.openai.requests.length - before).toBe(2);
});

test('a model whose provider is not configured is refused up front, naming the variable; nothing is stored', async () => {
  const chat = await conversationWith('claude-sonnet');
  const refused = await chat.ask(SEND, { input: { conversationId: chat.conversationId, content: 'hello' } });
  expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
  expect(refused.errors?.[0]?.message).toMatch(/ANTHROPIC_API_KEY/);
  expect((await chat.ask(ANSWERS, { id: chat.conversationId })).data.conversation.messages.edges).toEqual([]);
  const listed = await chat.ask('{ models { id provider available } }');
  expect(listed.errors).toBeUndefined();
  const { data } = listed;
  expect(data.models).toEqual(expect.arrayContaining([{ id: 'gpt-4o-mini', provider: 'openai', available: true }, { id: 'claude-sonnet', provider: 'anthropic', available: false }]));
});

test('stopGeneration aborts the upstream request on the instance writing the answer and keeps the text so far', async () => {
  const chat = await conversationWith();
  const sent = await chat.ask(SEND, { input: { conversationId: chat.conversationId, content: 'slow 100' } });
  const answerOf = async () =>
    (await chat.ask(ANSWERS, { id: chat.conversationId })).data.conversation.messages.edges.map((edge: any) => edge.node).find((node: any) => node.parent?.id === sent.data.sendMessage.id);
  const streaming = await eventually(async () => {
    const answer = await answerOf();
    const entries = answer ? await streamedFor(chat.conversationId, answer.id) : [];
    return entries.length >= 4 ? answer : undefined;
  });
  const abandonedBefore = platform.openai.abandoned();
  const stopped = await chat.ask(`mutation ($id: ID!) { stopGeneration(messageId: $id) { id } }`, { id: streaming.id });
  expect(stopped.errors).toBeUndefined();

  const answer = await eventually(async () => {
    const current = await answerOf();
    return current?.status === 'CANCELLED' ? current : undefined;
  });
  expect(answer.content).toMatch(/^w0 w1 w2/);
  expect(answer.content.split(' ').length).toBeLessThan(100);
  expect(answer.error).toBeNull();
  await eventually(async () => (platform.openai.abandoned() > abandonedBefore ? true : undefined));
  expect((await streamedFor(chat.conversationId, answer.id)).at(-1)).toEqual({ type: 'cancelled' });
  // Stopping again, or an answer that has ended, changes nothing.
  const again = await chat.ask(`mutation ($id: ID!) { stopGeneration(messageId: $id) { status } }`, { id: answer.id });
  expect(again.data.stopGeneration.status).toBe('CANCELLED');
});

test('a job taken again after its worker died mid-answer says so in the stream and writes the answer anew', async () => {
  const chat = await conversationWith();
  const { answer } = await answerTo(chat, 'echo written twice');
  // As if the worker had died mid-answer: the message is left STREAMING with some text, and
  // the broker hands the job to another worker.
  const db = new pg.Pool({ connectionString: databaseUrlFor('chat', process.env), max: 1 });
  try {
    await db.query(`UPDATE messages SET status = 'STREAMING', content = 'writ' WHERE id = $1`, [answer.id]);
  } finally {
    await db.end();
  }
  const userId = (await chat.ask('{ me { id } }')).data.me.id;
  const payload = { projectId: chat.projectId, userId, conversationId: chat.conversationId, messageId: answer.id };
  await platform.infra.bus.publish(createEnvelope('chat', 'chat.answer.requested', payload));

  const rewritten = await eventually(async () => {
    const events = await streamedFor(chat.conversationId, answer.id);
    return events.filter((event) => event.type === 'done').length === 2 ? events : undefined;
  });
  const second = rewritten.slice(rewritten.findIndex((event) => event.type === 'restarted'));
  expect(second.map((event) => event.type)).toEqual(['restarted', 'delta', 'delta', 'done']);
  const { conversation } = (await chat.ask(ANSWERS, { id: chat.conversationId })).data;
  expect(conversation.messages.edges.at(-1).node).toMatchObject({ id: answer.id, status: 'COMPLETE', content: 'written twice' });
});

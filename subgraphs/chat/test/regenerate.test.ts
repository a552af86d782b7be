// regenerateMessage through the router: another answer to the same message of the user, a
// sibling of the old one and the branch shown from then on, written from the same history; an
// answer still being written is stopped first; anyone else's answer is NOT_FOUND and nothing
// changes.
import { eventually, graphql, uniqueEmail } from '@builderai/testkit';
import { startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`;
const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`;
const CREATE = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`;
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;
const REGENERATE = `mutation ($id: ID!) { regenerateMessage(id: $id) { id sender status content parent { id } siblings { id content status } } }`;
const SELECT = `mutation ($id: ID!) { selectBranch(messageId: $id) { id } }`;
const MESSAGES = `query ($id: ID!) { conversation(id: $id) { messages { edges { node { id sender content status parent { id } siblings { id } } } } } }`;

let platform: PlatformWithModels;
beforeAll(async () => {
  platform = await startTestPlatformWithModels();
});
afterAll(async () => {
  await platform?.close();
});

type Answer = { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
const ok = (answer: Answer): any => {
  expect(answer.errors).toBeUndefined();
  return answer.data;
};
const codeOf = (answer: Answer) => answer.errors?.[0]?.extensions?.code;

async function newUser() {
  const { data } = await graphql(platform.graphqlUrl, REGISTER, { input: { email: uniqueEmail('regen'), password: 'correct horse 42', name: 'Regen' } });
  const token = data.register.accessToken as string;
  return { ask: (query: string, variables: Record<string, unknown> = {}): Promise<Answer> => graphql(platform.graphqlUrl, query, variables, { token }) };
}

async function conversationOf(user: Awaited<ReturnType<typeof newUser>>) {
  const projectId = ok(await user.ask(CREATE_PROJECT, { input: { name: 'Regenerated' } })).createProject.id;
  return ok(await user.ask(CREATE, { input: { projectId } })).createConversation.id as string;
}

const shown = async (user: Awaited<ReturnType<typeof newUser>>, conversationId: string) =>
  ok(await user.ask(MESSAGES, { id: conversationId })).conversation.messages.edges.map((edge: any) => edge.node);

/** Sends `content` and waits until its answer has ended; returns the answer. */
async function answered(user: Awaited<ReturnType<typeof newUser>>, conversationId: string, content: string) {
  const question = ok(await user.ask(SEND, { input: { conversationId, content } })).sendMessage.id;
  return settled(user, conversationId, (node) => node.parent?.id === question);
}

async function settled(user: Awaited<ReturnType<typeof newUser>>, conversationId: string, which: (node: any) => boolean) {
  return eventually(async () => {
    const answer = (await shown(user, conversationId)).find(which);
    return answer && !['PENDING', 'STREAMING'].includes(answer.status) ? answer : undefined;
  }, 'the answer to end');
}

/** The streamed request the model was sent for the answer whose question is `question`. */
const requestFor = (question: string) => platform.openai.requests.filter((request) => request.messages.at(-1)?.content === question);

test('a regenerated answer is a sibling of the old one, shown from now on, and written from the same history', async () => {
  const me = await newUser();
  const conversationId = await conversationOf(me);
  await answered(me, conversationId, 'echo First answer');
  const old = await answered(me, conversationId, 'echo Second answer');
  expect(old).toMatchObject({ status: 'COMPLETE', content: 'Second answer' });
  const before = await shown(me, conversationId);

  const { regenerateMessage: fresh } = ok(await me.ask(REGENERATE, { id: old.id }));
  expect(fresh).toMatchObject({ sender: 'ASSISTANT', status: 'PENDING', content: '', parent: old.parent, siblings: [{ id: old.id, content: 'Second answer', status: 'COMPLETE' }] });
  const done = await settled(me, conversationId, (node) => node.id === fresh.id);
  expect(done).toMatchObject({ status: 'COMPLETE', content: 'Second answer', siblings: [{ id: old.id }] });

  // The branch shown ends with the new answer; what came before is unchanged.
  const after = await shown(me, conversationId);
  expect(after.map((node: any) => node.id)).toEqual([...before.slice(0, -1).map((node: any) => node.id), fresh.id]);
  // The model read exactly what it read for the old answer.
  const [first, second] = requestFor('echo Second answer');
  expect(second).toBeDefined();
  expect(second!.messages).toEqual(first!.messages);
  expect(second!.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);

  // The old answer is still there to show again.
  ok(await me.ask(SELECT, { id: old.id }));
  expect((await shown(me, conversationId)).at(-1)).toMatchObject({ id: old.id, content: 'Second answer' });
});

test('regenerating an answer still being written stops it first; it keeps its text so far', async () => {
  const me = await newUser();
  const conversationId = await conversationOf(me);
  const question = ok(await me.ask(SEND, { input: { conversationId, content: 'slow 20' } })).sendMessage.id;
  const streaming = await eventually(async () => {
    const answer = (await shown(me, conversationId)).find((node: any) => node.parent?.id === question);
    return answer?.status === 'STREAMING' ? answer : undefined;
  });
  await eventually(async () => ((await platform.infra.streams.read(`conversation:${conversationId}`, undefined, 100)).filter((entry) => entry.fields.type === 'delta').length >= 2 ? true : undefined));

  const { regenerateMessage: fresh } = ok(await me.ask(REGENERATE, { id: streaming.id }));
  const done = await settled(me, conversationId, (node) => node.id === fresh.id);
  expect(done).toMatchObject({ status: 'COMPLETE', content: Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ') });
  await eventually(async () => {
    const { siblings } = (await shown(me, conversationId)).at(-1);
    return siblings[0]?.id === streaming.id ? true : undefined;
  });
  ok(await me.ask(SELECT, { id: streaming.id }));
  const stopped = await settled(me, conversationId, (node) => node.id === streaming.id);
  expect(stopped.status).toBe('CANCELLED');
  expect(stopped.content).toMatch(/^w0 w1/);
  expect(stopped.content.split(' ').length).toBeLessThan(20);
});

test("anyone else's answer is NOT_FOUND, a message of the user is BAD_USER_INPUT, and nothing changes", async () => {
  const owner = await newUser();
  const stranger = await newUser();
  const conversationId = await conversationOf(owner);
  const answer = await answered(owner, conversationId, 'echo Mine');
  const before = await shown(owner, conversationId);
  const requests = platform.openai.requests.length;

  expect(codeOf(await stranger.ask(REGENERATE, { id: answer.id }))).toBe('NOT_FOUND');
  expect(codeOf(await stranger.ask(REGENERATE, { id: 'not-an-id' }))).toBe('NOT_FOUND');
  expect(codeOf(await owner.ask(REGENERATE, { id: '00000000-0000-4000-8000-000000000000' }))).toBe('NOT_FOUND');
  const question = await owner.ask(REGENERATE, { id: answer.parent.id });
  expect(question.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

  expect(await shown(owner, conversationId)).toEqual(before);
  expect(before.at(-1).siblings).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(platform.openai.requests.length).toBe(requests);
});

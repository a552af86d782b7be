// An answer's turn with tools, end to end through the router: a model that keeps calling tools
// is stopped at the step limit and asked to answer; an answer that fails, or is stopped, after
// writing files changes no file; a file the user saves while the turn runs is not overwritten
// (the answer fails saying so); a restarted answer makes its calls anew.
import { eventually, graphql, uniqueEmail } from '@builderai/testkit';
import { startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`;
const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`;
const CREATE = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`;
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;
const ANSWERS = `query ($id: ID!) {
  conversation(id: $id) {
    messages { edges { node { id status error content parent { id } metadata { toolSteps } toolCalls { name error } checkpoint { id } } } }
  }
}`;
const FILES = `query ($id: ID!) { project(id: $id) { files { path } file(path: "index.html") { text checksum } checkpoints { edges { node { id } } } } }`;
const WRITE_FILE = `mutation ($input: WriteFileInput!) { writeFile(input: $input) { checksum } }`;

let platform: PlatformWithModels;
beforeAll(async () => {
  platform = await startTestPlatformWithModels({ CHAT_TOOL_MAX_STEPS: '3', CHAT_IDLE_TIMEOUT_MS: '5000' });
});
afterAll(async () => {
  await platform?.close();
});

async function conversation() {
  const { data } = await graphql(platform.graphqlUrl, REGISTER, { input: { email: uniqueEmail('tools'), password: 'correct horse 42', name: 'Tools' } });
  const token = data.register.accessToken as string;
  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    const result = await graphql(platform.graphqlUrl, query, variables, { token });
    expect(result.errors).toBeUndefined();
    return result.data;
  };
  const projectId = (await ask(CREATE_PROJECT, { input: { name: 'Tools', llm: 'gpt-4o-mini' } })).createProject.id as string;
  const conversationId = (await ask(CREATE, { input: { projectId } })).createConversation.id as string;
  return { ask, projectId, conversationId };
}
type Chat = Awaited<ReturnType<typeof conversation>>;

async function send(chat: Chat, content: string): Promise<string> {
  return (await chat.ask(SEND, { input: { conversationId: chat.conversationId, content } })).sendMessage.id;
}

async function settled(chat: Chat, question: string) {
  return eventually(async () => {
    const answer = (await chat.ask(ANSWERS, { id: chat.conversationId })).conversation.messages.edges.map((edge: any) => edge.node).find((node: any) => node.parent?.id === question);
    return answer && !['PENDING', 'STREAMING'].includes(answer.status) ? answer : undefined;
  }, 'the answer to settle');
}

const write = (path: string, content: string) => ({ name: 'write_file', arguments: { path, content } });

test('a model that keeps calling tools is stopped at the step limit and asked to answer without them', async () => {
  const chat = await conversation();
  platform.openai.script('Loop forever', (turn) => (turn.messages.at(-1)?.role === 'system' ? { text: 'I wrote three files.' } : { toolCalls: [write(`page${turn.step}.html`, `<p>${turn.step}</p>`)] }));
  const answer = await settled(chat, await send(chat, 'Loop forever'));
  expect(answer).toMatchObject({ status: 'COMPLETE', content: 'I wrote three files.', metadata: { toolSteps: 3 } });
  expect(answer.toolCalls).toHaveLength(3);
  const last = platform.openai.requests.filter((request) => request.messages.some((message) => message.content === 'Loop forever')).at(-1)!;
  expect(last.tools).toBeUndefined();
  const { project } = await chat.ask(FILES, { id: chat.projectId });
  expect(project.files.map((file: any) => file.path).sort()).toEqual(['page0.html', 'page1.html', 'page2.html']);
});

test('an answer that fails after writing files changes no file', async () => {
  const chat = await conversation();
  platform.openai.script('Write then fail', [{ toolCalls: [write('index.html', '<h1>half</h1>')] }, { text: 'Almost', breakOff: true }]);
  const answer = await settled(chat, await send(chat, 'Write then fail'));
  expect(answer.status).toBe('FAILED');
  expect(answer.toolCalls).toEqual([{ name: 'write_file', error: null }]);
  expect(answer.checkpoint).toBeNull();
  const { project } = await chat.ask(FILES, { id: chat.projectId });
  expect(project).toMatchObject({ files: [], file: null, checkpoints: { edges: [] } });
});

test('an answer stopped after writing files changes no file', async () => {
  const chat = await conversation();
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  platform.openai.script('Write then wait', async (turn) => {
    if (turn.step === 0) return { toolCalls: [write('index.html', '<h1>stopped</h1>')] };
    await stopped;
    return { text: 'Too late' };
  });
  const question = await send(chat, 'Write then wait');
  const running = await eventually(async () => (await chat.ask(ANSWERS, { id: chat.conversationId })).conversation.messages.edges.map((edge: any) => edge.node).find((node: any) => node.parent?.id === question && node.toolCalls.length === 1));
  await chat.ask(`mutation ($id: ID!) { stopGeneration(messageId: $id) { id } }`, { id: running.id });
  stop();
  const answer = await settled(chat, question);
  expect(answer.status).toBe('CANCELLED');
  expect((await chat.ask(FILES, { id: chat.projectId })).project).toMatchObject({ files: [], checkpoints: { edges: [] } });
});

test('a file the user saves while the turn runs is not overwritten: the answer fails saying so', async () => {
  const chat = await conversation();
  platform.openai.script('Start the page', [{ toolCalls: [write('index.html', '<h1>v1</h1>\n')] }, { text: 'Started.' }]);
  await settled(chat, await send(chat, 'Start the page'));
  platform.openai.script('Change the page', async (turn) => {
    if (turn.step === 0) return { toolCalls: [{ name: 'read_file', arguments: { path: 'index.html' } }] };
    if (turn.step === 1) {
      // The user saves their own version between the AI's read and its edit.
      const { project } = await chat.ask(FILES, { id: chat.projectId });
      await chat.ask(WRITE_FILE, { input: { projectId: chat.projectId, path: 'index.html', text: '<h1>mine</h1>\n', ifChecksum: project.file.checksum } });
      return { toolCalls: [{ name: 'apply_edit', arguments: { path: 'index.html', edits: [{ search: 'v1', replace: 'v2' }] } }] };
    }
    return { text: 'Changed.' };
  });
  const answer = await settled(chat, await send(chat, 'Change the page'));
  expect(answer.status).toBe('FAILED');
  expect(answer.error).toMatch(/^Your files were not changed: .*index\.html/);
  expect((await chat.ask(FILES, { id: chat.projectId })).project.file.text).toBe('<h1>mine</h1>\n');
});

// Conversations through the router: about one's own projects only, with the project's and the
// author's fields resolved from their subgraphs; anyone else's conversation is NOT_FOUND on
// every query and mutation; messages form branches that stay readable.
import { eventually, graphql, uniqueEmail } from '@builderai/testkit';
import { startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }`;
const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`;
const CREATE = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id title project { id name } owner { id } } }`;
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id content sender status author { id } parent { id } } }`;
const EDIT = `mutation ($id: ID!, $content: String!) { editMessage(id: $id, content: $content) { id content parent { id } siblings { id content } } }`;
const SELECT = `mutation ($id: ID!) { selectBranch(messageId: $id) { id } }`;
const RENAME = `mutation ($id: ID!, $title: String!) { renameConversation(id: $id, title: $title) { id title } }`;
const DELETE = `mutation ($id: ID!) { deleteConversation(id: $id) }`;
const MESSAGES = `query ($id: ID!, $first: Int, $after: String) {
  conversation(id: $id) { id messages(first: $first, after: $after) { edges { cursor node { id sender content siblings { id } } } pageInfo { hasNextPage endCursor } } }
}`;
const PROJECT_CONVERSATIONS = `query ($id: ID!, $first: Int, $after: String) {
  project(id: $id) { conversations(first: $first, after: $after) { edges { node { id title } } pageInfo { hasNextPage endCursor } } }
}`;

let platform: PlatformWithModels;
beforeAll(async () => {
  platform = await startTestPlatformWithModels();
});
afterAll(async () => {
  await platform?.close();
});

interface User {
  token: string;
  id: string;
  ask<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, any> }> }>;
}

async function newUser(): Promise<User> {
  const { data } = await graphql(platform.graphqlUrl, REGISTER, { input: { email: uniqueEmail('chat'), password: 'correct horse 42', name: 'Chat User' } });
  const token = data.register.accessToken as string;
  return { token, id: data.register.user.id, ask: (query, variables = {}) => graphql(platform.graphqlUrl, query, variables, { token }) };
}

// The data of an answer that must have no errors.
const ok = (answer: { data?: any; errors?: unknown[] }): any => {
  expect(answer.errors).toBeUndefined();
  return answer.data;
};
const codeOf = (answer: { errors?: Array<{ extensions?: Record<string, any> }> }) => answer.errors?.[0]?.extensions?.code;

async function projectOf(user: User, name = 'Recipe box'): Promise<string> {
  return ok(await user.ask(CREATE_PROJECT, { input: { name } })).createProject.id;
}

test('a conversation about one of my projects, with the project and its owner from their subgraphs', async () => {
  const me = await newUser();
  const projectId = await projectOf(me);
  const { createConversation } = ok(await me.ask(CREATE, { input: { projectId } }));
  expect(createConversation).toMatchObject({ title: 'New conversation', project: { id: projectId, name: 'Recipe box' }, owner: { id: me.id } });

  const renamed = ok(await me.ask(RENAME, { id: createConversation.id, title: '  Layout ideas ' }));
  expect(renamed.renameConversation.title).toBe('Layout ideas');
  const listed = ok(await me.ask(PROJECT_CONVERSATIONS, { id: projectId }));
  expect(listed.project.conversations.edges.map((edge: any) => edge.node)).toEqual([{ id: createConversation.id, title: 'Layout ideas' }]);
});

test("someone else's project or conversation is NOT_FOUND everywhere, and nothing changes", async () => {
  const owner = await newUser();
  const stranger = await newUser();
  const projectId = await projectOf(owner);
  const conversationId = ok(await owner.ask(CREATE, { input: { projectId, title: 'Mine' } })).createConversation.id;
  const { sendMessage } = ok(await owner.ask(SEND, { input: { conversationId, content: 'hello' } }));

  expect(codeOf(await stranger.ask(CREATE, { input: { projectId } }))).toBe('NOT_FOUND');
  expect(codeOf(await stranger.ask(MESSAGES, { id: conversationId }))).toBe('NOT_FOUND');
  expect(codeOf(await stranger.ask(RENAME, { id: conversationId, title: 'Theirs' }))).toBe('NOT_FOUND');
  expect(codeOf(await stranger.ask(SEND, { input: { conversationId, content: 'hi' } }))).toBe('NOT_FOUND');
  expect(codeOf(await stranger.ask(EDIT, { id: sendMessage.id, content: 'changed' }))).toBe('NOT_FOUND');
  expect(codeOf(await stranger.ask(SELECT, { id: sendMessage.id }))).toBe('NOT_FOUND');
  expect(codeOf(await stranger.ask(`mutation ($id: ID!) { stopGeneration(messageId: $id) { id } }`, { id: sendMessage.id }))).toBe('NOT_FOUND');
  expect(codeOf(await stranger.ask(DELETE, { id: conversationId }))).toBe('NOT_FOUND');
  expect(codeOf(await stranger.ask(MESSAGES, { id: 'not-an-id' }))).toBe('NOT_FOUND');
  // Anonymous callers are told to sign in.
  expect(codeOf(await graphql(platform.graphqlUrl, MESSAGES, { id: conversationId }))).toBe('UNAUTHENTICATED');

  const { conversation } = ok(await owner.ask(MESSAGES, { id: conversationId }));
  expect(conversation.messages.edges[0].node.content).toBe('hello');
});

test('bad input is BAD_USER_INPUT naming the field', async () => {
  const me = await newUser();
  const conversationId = ok(await me.ask(CREATE, { input: { projectId: await projectOf(me) } })).createConversation.id;
  const fieldOf = (answer: { errors?: Array<{ extensions?: Record<string, any> }> }) => answer.errors?.[0]?.extensions;
  expect(fieldOf(await me.ask(SEND, { input: { conversationId, content: '   ' } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'content' });
  expect(fieldOf(await me.ask(SEND, { input: { conversationId, content: 'x'.repeat(32_001) } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'content' });
  expect(fieldOf(await me.ask(RENAME, { id: conversationId, title: 'x'.repeat(201) }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
  expect(fieldOf(await me.ask(MESSAGES, { id: conversationId, first: 101 }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  expect(fieldOf(await me.ask(MESSAGES, { id: conversationId, after: 'garbage' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
});

test('messages follow one another; an edit starts a branch, and the old branch can be shown again', async () => {
  const me = await newUser();
  const conversationId = ok(await me.ask(CREATE, { input: { projectId: await projectOf(me) } })).createConversation.id;
  const send = async (content: string) => ok(await me.ask(SEND, { input: { conversationId, content } })).sendMessage;
  const first = await send('Build me a recipe box');
  const second = await send('Make it blue');
  await send('Add a search box');
  expect(first).toMatchObject({ sender: 'USER', status: 'COMPLETE', author: { id: me.id }, parent: null });
  // Each message of the user is followed by the AI's answer to it.
  const shown = async () =>
    ok(await me.ask(MESSAGES, { id: conversationId })).conversation.messages.edges.map((edge: any) => `${edge.node.sender}: ${edge.node.sender === 'USER' ? edge.node.content : '…'}`);
  expect(await shown()).toEqual(['USER: Build me a recipe box', 'ASSISTANT: …', 'USER: Make it blue', 'ASSISTANT: …', 'USER: Add a search box', 'ASSISTANT: …']);
  expect(second.parent).not.toEqual({ id: first.id });

  const { editMessage } = ok(await me.ask(EDIT, { id: second.id, content: 'Make it green' }));
  expect(editMessage).toMatchObject({ content: 'Make it green', parent: second.parent, siblings: [{ id: second.id, content: 'Make it blue' }] });
  expect(await shown()).toEqual(['USER: Build me a recipe box', 'ASSISTANT: …', 'USER: Make it green', 'ASSISTANT: …']);

  ok(await me.ask(SELECT, { id: second.id }));
  expect(await shown()).toEqual(['USER: Build me a recipe box', 'ASSISTANT: …', 'USER: Make it blue', 'ASSISTANT: …', 'USER: Add a search box', 'ASSISTANT: …']);
});

test('the branch pages oldest first, from cursor to cursor', async () => {
  const me = await newUser();
  const conversationId = ok(await me.ask(CREATE, { input: { projectId: await projectOf(me) } })).createConversation.id;
  for (let i = 1; i <= 5; i++) ok(await me.ask(SEND, { input: { conversationId, content: `message ${i}` } }));

  const contents: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = ok(await me.ask(MESSAGES, { id: conversationId, first: 2, after })).conversation.messages;
    contents.push(...page.edges.filter((edge: any) => edge.node.sender === 'USER').map((edge: any) => edge.node.content));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(contents).toEqual(['message 1', 'message 2', 'message 3', 'message 4', 'message 5']);
});

test('two messages sent at once both land on the branch, one after the other', async () => {
  const me = await newUser();
  const conversationId = ok(await me.ask(CREATE, { input: { projectId: await projectOf(me) } })).createConversation.id;
  await Promise.all(['a', 'b', 'c', 'd'].map((content) => me.ask(SEND, { input: { conversationId, content } })));
  const edges = ok(await me.ask(MESSAGES, { id: conversationId })).conversation.messages.edges;
  expect(edges.filter((edge: any) => edge.node.sender === 'USER').map((edge: any) => edge.node.content).sort()).toEqual(['a', 'b', 'c', 'd']);
  expect(edges).toHaveLength(8);
  expect(edges.every((edge: any) => edge.node.siblings.length === 0)).toBe(true);
});

test('deleting a conversation takes its messages; it is NOT_FOUND afterwards', async () => {
  const me = await newUser();
  const conversationId = ok(await me.ask(CREATE, { input: { projectId: await projectOf(me) } })).createConversation.id;
  ok(await me.ask(SEND, { input: { conversationId, content: 'soon gone' } }));
  expect(ok(await me.ask(DELETE, { id: conversationId })).deleteConversation).toBe(conversationId);
  expect(codeOf(await me.ask(MESSAGES, { id: conversationId }))).toBe('NOT_FOUND');
  expect(codeOf(await me.ask(DELETE, { id: conversationId }))).toBe('NOT_FOUND');
});

test("a deleted project's conversations go with it (projects.project.deleted)", async () => {
  const me = await newUser();
  const projectId = await projectOf(me);
  const conversationId = ok(await me.ask(CREATE, { input: { projectId } })).createConversation.id;
  ok(await me.ask(`mutation ($id: ID!) { deleteProject(id: $id) }`, { id: projectId }));
  await eventually(async () => (codeOf(await me.ask(MESSAGES, { id: conversationId })) === 'NOT_FOUND' ? true : undefined));
});

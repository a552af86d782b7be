// The AI builds the app, through the router, with the model's tool calls scripted by a local
// server speaking OpenAI's protocol: a first turn writes index.html (the project is READY with a
// working preview), a follow-up changes one line with apply_edit after a refused ambiguous
// search, every call is stored and streamed, each turn is a checkpoint that restoreCheckpoint
// brings back (and a restore is undone the same way), a user's own edit is a conflict unless
// forced, and no call reaches another user's project.
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { eventually } from '@builderai/testkit';
import { signUp, startTestPlatformWithModels, type PlatformWithModels, type SignedUpUser } from '@builderai/platform/testing';

const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`;
const CREATE_CONVERSATION = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`;
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;
const ANSWERS = `query ($id: ID!) {
  conversation(id: $id) {
    project { status }
    messages { edges { node { id sender status error content parent { id }
      metadata { toolSteps promptTokens completionTokens }
      toolCalls { id name arguments result error durationMs }
      checkpoint { id kind messageId changes { path action diff } }
    } } }
  }
}`;
const PROJECT_FILES = `query ($id: ID!) { project(id: $id) { status previewUrl files { path size } file(path: "index.html") { text checksum } } }`;
const CHECKPOINTS = `query ($id: ID!) { project(id: $id) { checkpoints(first: 10) { edges { node { id kind messageId restoredFrom { id } changes { path action } } } } } }`;
const RESTORE = `mutation ($p: ID!, $c: ID!, $force: Boolean! = false) {
  restoreCheckpoint(projectId: $p, checkpointId: $c, force: $force) { checkpoint { id kind restoredFrom { id } changes { path action } } conflicts { path action } }
}`;
const WRITE_FILE = `mutation ($input: WriteFileInput!) { writeFile(input: $input) { path checksum } }`;
const STREAM = `subscription ($id: ID!) { messageStream(conversationId: $id) { type message { id } toolCall { id name arguments result error durationMs } } }`;

const PAGE_V1 = '<!doctype html>\n<title>Hello</title>\n<h1>Hello, world</h1>\n<p>Welcome</p>\n<footer><p>Welcome</p></footer>\n';
const PAGE_V2 = PAGE_V1.replace('<h1>Hello, world</h1>\n<p>Welcome</p>', '<h1>Hello, world</h1>\n<p>Welcome back</p>');

let platform: PlatformWithModels;
const clients: Client[] = [];
beforeAll(async () => {
  platform = await startTestPlatformWithModels({ CHAT_IDLE_TIMEOUT_MS: '2000' });
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await platform?.close();
});

const newUser = () => signUp(platform, 'Builder');
type User = SignedUpUser;

async function projectOf(user: User, name = 'Hello page') {
  const projectId = (await user.data(CREATE_PROJECT, { input: { name, llm: 'gpt-4o-mini' } })).createProject.id as string;
  const conversationId = (await user.data(CREATE_CONVERSATION, { input: { projectId } })).createConversation.id as string;
  return { projectId, conversationId };
}

/** Sends `content` and waits for the answer to settle. */
async function answerTo(user: User, conversationId: string, content: string) {
  const question = (await user.data(SEND, { input: { conversationId, content } })).sendMessage.id;
  return eventually(async () => {
    const { conversation } = await user.data(ANSWERS, { id: conversationId });
    const answer = conversation.messages.edges.map((edge: any) => edge.node).find((node: any) => node.parent?.id === question);
    return answer && !['PENDING', 'STREAMING'].includes(answer.status) ? answer : undefined;
  }, 'the answer to settle');
}

async function previewText(user: User, projectId: string): Promise<string> {
  const { project } = await user.data(PROJECT_FILES, { id: projectId });
  expect(project.previewUrl).toEqual(expect.any(String));
  const response = await fetch(project.previewUrl);
  expect(response.status).toBe(200);
  return response.text();
}

test('the AI writes the page, edits one line after a refused ambiguous search, and each turn can be undone and redone', async () => {
  const user = await newUser();
  const { projectId, conversationId } = await projectOf(user);

  // Turn 1: the model writes index.html.
  platform.openai.script('Make a hello page', [{ text: 'Writing it.', toolCalls: [{ name: 'write_file', arguments: { path: 'index.html', content: PAGE_V1 } }] }, { text: 'Your page is ready.' }]);
  const first = await answerTo(user, conversationId, 'Make a hello page');
  expect(first).toMatchObject({ status: 'COMPLETE', error: null, content: 'Writing it.\n\nYour page is ready.', metadata: { toolSteps: 1 } });
  expect(first.toolCalls).toEqual([{ id: expect.any(String), name: 'write_file', arguments: { path: 'index.html', content: PAGE_V1 }, result: `Created index.html (${PAGE_V1.length} bytes).`, error: null, durationMs: expect.any(Number) }]);
  expect(first.checkpoint).toMatchObject({ kind: 'AI_TURN', messageId: first.id, changes: [{ path: 'index.html', action: 'ADDED' }] });
  await eventually(async () => ((await user.data(PROJECT_FILES, { id: projectId })).project.status === 'READY' ? true : undefined), 'the project to be READY');
  expect(await previewText(user, projectId)).toBe(PAGE_V1);

  // The model was given the tools, and the result of its call.
  const requests = platform.openai.requests.filter((request) => request.messages.some((message) => message.content === 'Make a hello page'));
  expect(requests).toHaveLength(2);
  expect((requests[0]!.tools as Array<{ function: { name: string } }>).map((tool) => tool.function.name)).toEqual(['list_files', 'read_file', 'write_file', 'apply_edit', 'delete_file', 'rename_file']);
  expect(requests[1]!.messages.at(-1)).toMatchObject({ role: 'tool', content: `Created index.html (${PAGE_V1.length} bytes).` });

  // Turn 2: read, an apply_edit whose search matches twice, then a unique one.
  platform.openai.script('Say welcome back', (turn) => {
    if (turn.step === 0) return { toolCalls: [{ name: 'read_file', arguments: { path: 'index.html' } }] };
    if (turn.step === 1) return { toolCalls: [{ name: 'apply_edit', arguments: { path: 'index.html', edits: [{ search: '<p>Welcome</p>', replace: '<p>Welcome back</p>' }] } }] };
    if (turn.step === 2 && turn.toolResults.at(-1)!.startsWith('Error:'))
      return { toolCalls: [{ name: 'apply_edit', arguments: { path: 'index.html', edits: [{ search: '<h1>Hello, world</h1>\n<p>Welcome</p>', replace: '<h1>Hello, world</h1>\n<p>Welcome back</p>' }] } }] };
    return { text: 'It now says welcome back.' };
  });
  const second = await answerTo(user, conversationId, 'Say welcome back');
  expect(second.status).toBe('COMPLETE');
  expect(second.toolCalls.map((call: any) => [call.name, call.error === null])).toEqual([['read_file', true], ['apply_edit', false], ['apply_edit', true]]);
  expect(second.toolCalls[1].error).toMatch(/2 places/);
  expect(second.toolCalls[2].result).toBe('Applied 1 edit to index.html.');
  expect(second.checkpoint.changes).toEqual([{ path: 'index.html', action: 'MODIFIED', diff: expect.stringContaining('-<p>Welcome</p>\n+<p>Welcome back</p>') }]);
  expect(await previewText(user, projectId)).toBe(PAGE_V2);

  // The calls were streamed: each TOOL_CALL, then its TOOL_RESULT with the stored call.
  const client = createClient({ url: platform.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: { authorization: `Bearer ${user.token}` } });
  clients.push(client);
  const events: any[] = [];
  for await (const result of client.iterate({ query: STREAM, variables: { id: conversationId } })) {
    expect(result.errors).toBeUndefined();
    const event = (result.data as any).messageStream;
    if (event.message.id === second.id) events.push(event);
    if (event.message.id === second.id && event.type === 'DONE') break;
  }
  const toolEvents = events.filter((event) => event.type.startsWith('TOOL_'));
  expect(toolEvents.map((event) => `${event.type} ${event.toolCall.name}`)).toEqual(['TOOL_CALL read_file', 'TOOL_RESULT read_file', 'TOOL_CALL apply_edit', 'TOOL_RESULT apply_edit', 'TOOL_CALL apply_edit', 'TOOL_RESULT apply_edit']);
  expect(toolEvents[0].toolCall).toMatchObject({ id: second.toolCalls[0].id, arguments: { path: 'index.html' }, result: null, durationMs: null });
  expect(toolEvents[3].toolCall).toMatchObject({ id: second.toolCalls[1].id, error: expect.stringMatching(/2 places/), durationMs: expect.any(Number) });

  // Undo the second turn: the first page is back; undo the undo: the edit is back.
  const undo = (await user.data(RESTORE, { p: projectId, c: first.checkpoint.id })).restoreCheckpoint;
  expect(undo).toMatchObject({ conflicts: [], checkpoint: { kind: 'RESTORE', restoredFrom: { id: first.checkpoint.id }, changes: [{ path: 'index.html', action: 'MODIFIED' }] } });
  expect(await previewText(user, projectId)).toBe(PAGE_V1);
  const redo = (await user.data(RESTORE, { p: projectId, c: second.checkpoint.id })).restoreCheckpoint;
  expect(redo).toMatchObject({ conflicts: [], checkpoint: { kind: 'RESTORE', restoredFrom: { id: second.checkpoint.id } } });
  expect(await previewText(user, projectId)).toBe(PAGE_V2);
  // No history was lost: four checkpoints, newest first.
  const history = (await user.data(CHECKPOINTS, { id: projectId })).project.checkpoints.edges.map((edge: any) => edge.node);
  expect(history.map((node: any) => node.kind)).toEqual(['RESTORE', 'RESTORE', 'AI_TURN', 'AI_TURN']);
});

test("a user's own edit after a checkpoint is a conflict: restoring changes nothing unless forced", async () => {
  const user = await newUser();
  const { projectId, conversationId } = await projectOf(user);
  platform.openai.script('Make my page', [{ toolCalls: [{ name: 'write_file', arguments: { path: 'index.html', content: PAGE_V1 } }] }, { text: 'Done.' }]);
  const turn = await answerTo(user, conversationId, 'Make my page');
  const { project } = await user.data(PROJECT_FILES, { id: projectId });
  const mine = '<!doctype html>\n<h1>My own words</h1>\n';
  await user.data(WRITE_FILE, { input: { projectId, path: 'index.html', text: mine, ifChecksum: project.file.checksum } });
  // Turn 2 writes another file, so there is something to restore.
  platform.openai.script('Add a stylesheet', [{ toolCalls: [{ name: 'write_file', arguments: { path: 'styles.css', content: 'h1 { color: teal }\n' } }] }, { text: 'Added.' }]);
  await answerTo(user, conversationId, 'Add a stylesheet');

  const refused = (await user.data(RESTORE, { p: projectId, c: turn.checkpoint.id })).restoreCheckpoint;
  expect(refused).toEqual({ checkpoint: null, conflicts: [{ path: 'index.html', action: 'MODIFIED' }] });
  const unchanged = (await user.data(PROJECT_FILES, { id: projectId })).project;
  expect(unchanged.file.text).toBe(mine);
  expect(unchanged.files.map((file: any) => file.path).sort()).toEqual(['index.html', 'styles.css']);

  const forced = (await user.data(RESTORE, { p: projectId, c: turn.checkpoint.id, force: true })).restoreCheckpoint;
  // Forced, the conflicts are those it overwrote.
  expect(forced.conflicts).toEqual([{ path: 'index.html', action: 'MODIFIED' }]);
  expect(forced.checkpoint.changes).toEqual(expect.arrayContaining([{ path: 'index.html', action: 'MODIFIED' }, { path: 'styles.css', action: 'DELETED' }]));
  const restored = (await user.data(PROJECT_FILES, { id: projectId })).project;
  expect(restored.file.text).toBe(PAGE_V1);
  expect(restored.files.map((file: any) => file.path)).toEqual(['index.html']);
});

test("no tool call reaches another user's project, whatever paths the model tries", async () => {
  const victim = await newUser();
  const theirs = await projectOf(victim, 'Private');
  platform.openai.script('Write my secret page', [{ toolCalls: [{ name: 'write_file', arguments: { path: 'index.html', content: '<h1>secret</h1>\n' } }] }, { text: 'Done.' }]);
  await answerTo(victim, theirs.conversationId, 'Write my secret page');
  const before = (await victim.data(PROJECT_FILES, { id: theirs.projectId })).project;

  const attacker = await newUser();
  const mine = await projectOf(attacker, 'Mine');
  const tries = [`../${theirs.projectId}/index.html`, `/${theirs.projectId}/index.html`, `${theirs.projectId}/../../index.html`, `..\\${theirs.projectId}\\index.html`, `%2e%2e/${theirs.projectId}/index.html`];
  platform.openai.script('Take their page', [
    { toolCalls: tries.map((path) => ({ name: 'read_file', arguments: { path } })) },
    { toolCalls: [...tries.map((path) => ({ name: 'write_file', arguments: { path, content: '<h1>owned</h1>\n' } as unknown })), { name: 'delete_file', arguments: { path: `../${theirs.projectId}/index.html` } }] },
    { toolCalls: [{ name: 'read_file', arguments: { path: 'index.html', projectId: theirs.projectId } }] },
    { text: 'I could not.' },
  ]);
  const answer = await answerTo(attacker, mine.conversationId, 'Take their page');
  // Reads and writes by such paths are refused, or land in the attacker's own project.
  const reads = answer.toolCalls.filter((call: any) => call.name === 'read_file');
  expect(reads.every((call: any) => call.error !== null && !/secret/.test(call.error) && call.result === null)).toBe(true);
  const after = (await victim.data(PROJECT_FILES, { id: theirs.projectId })).project;
  expect(after.file).toEqual(before.file);
  expect(after.files).toEqual(before.files);
  const own = (await attacker.data(PROJECT_FILES, { id: mine.projectId })).project.files.map((file: any) => file.path);
  expect(own.every((path: string) => !path.includes('..') && !path.startsWith('/'))).toBe(true);
  // And the attacker cannot commit to it, nor restore it, directly.
  const commit = await attacker.ask(`mutation ($input: CommitTurnInput!) { commitTurn(input: $input) { id } }`, {
    input: { projectId: theirs.projectId, messageId: answer.id, changes: [{ path: 'index.html', text: 'x' }] },
  });
  expect(commit.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
  const write = await attacker.ask(WRITE_FILE, { input: { projectId: theirs.projectId, path: 'index.html', text: 'x' } });
  expect(write.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  expect((await victim.data(PROJECT_FILES, { id: theirs.projectId })).project.file).toEqual(before.file);
});

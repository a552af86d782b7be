// What the model reads, through the router and a local server speaking OpenAI's protocol: the
// system prompt carries the project (name, the user's description of the app, file paths and
// sizes); with a tiny window the older turns are summarized by the same model into
// conversation_contexts, the summary is reused until the window overflows again, and a summary
// that fails leaves the oldest turns out while the answer still completes.
import pg from 'pg';
import { countTokens } from 'gpt-tokenizer';
import { databaseUrlFor } from '@builderai/kit';
import { eventually, graphql, uniqueEmail } from '@builderai/testkit';
import { startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`;
const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`;
const CREATE_UPLOAD = `mutation ($input: CreateUploadInput!) { createUpload(input: $input) { file { id } uploadUrl method headers { name value } } }`;
const COMPLETE_UPLOAD = `mutation ($id: ID!) { completeUpload(id: $id) { status } }`;
const CREATE = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`;
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;
const MESSAGES = `query ($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { node { id sender content status parent { id } } } } } }`;

// A window of 1000 tokens, 200 of them kept for the answer: a few turns fill it.
const TINY = { id: 'tiny-window', provider: 'openai', model: 'gpt-4o-mini', contextWindow: 1000, maxOutputTokens: 200 };
const BUDGET = TINY.contextWindow - TINY.maxOutputTokens;

let platform: PlatformWithModels;
let db: pg.Pool;
beforeAll(async () => {
  platform = await startTestPlatformWithModels({
    CHAT_MODELS: JSON.stringify([{ id: 'gpt-4o-mini', provider: 'openai', contextWindow: 128_000 }, TINY]),
    PROJECTS_LLMS: 'gpt-4o-mini,tiny-window',
  });
  db = new pg.Pool({ connectionString: databaseUrlFor('chat', process.env), max: 1 });
});
afterAll(async () => {
  await db?.end();
  await platform?.close();
});

type Answer = { data?: any; errors?: unknown[] };
const ok = (answer: Answer): any => {
  expect(answer.errors).toBeUndefined();
  return answer.data;
};

async function conversationWith(project: Record<string, unknown>) {
  const { data } = await graphql(platform.graphqlUrl, REGISTER, { input: { email: uniqueEmail('context'), password: 'correct horse 42', name: 'Context' } });
  const token = data.register.accessToken as string;
  const ask = (query: string, variables: Record<string, unknown> = {}): Promise<Answer> => graphql(platform.graphqlUrl, query, variables, { token });
  const projectId = ok(await ask(CREATE_PROJECT, { input: project })).createProject.id as string;
  const conversationId = ok(await ask(CREATE, { input: { projectId } })).createConversation.id as string;
  return { ask, projectId, conversationId };
}
type Chat = Awaited<ReturnType<typeof conversationWith>>;

async function upload(chat: Chat, name: string, contentType: string, body: string) {
  const bytes = Buffer.from(body);
  const { file, uploadUrl, method, headers } = ok(await chat.ask(CREATE_UPLOAD, { input: { projectId: chat.projectId, name, size: bytes.length, contentType } })).createUpload;
  const put = await fetch(uploadUrl, { method, headers: Object.fromEntries(headers.map((header: { name: string; value: string }) => [header.name, header.value])), body: new Uint8Array(bytes) });
  expect(put.ok).toBe(true);
  expect(ok(await chat.ask(COMPLETE_UPLOAD, { id: file.id })).completeUpload.status).toBe('READY');
}

const branchOf = async (chat: Chat) => ok(await chat.ask(MESSAGES, { id: chat.conversationId })).conversation.messages.edges.map((edge: any) => edge.node);

/** Sends `content`, waits for its answer to end; returns the answer and the request the model got for it. */
async function answerTo(chat: Chat, content: string) {
  const question = ok(await chat.ask(SEND, { input: { conversationId: chat.conversationId, content } })).sendMessage.id;
  const answer = await eventually(async () => {
    const node = (await branchOf(chat)).find((candidate: any) => candidate.parent?.id === question);
    return node && !['PENDING', 'STREAMING'].includes(node.status) ? node : undefined;
  }, 'the answer to end');
  const request = platform.openai.requests.filter((candidate) => candidate.stream && candidate.messages.at(-1)?.content === content).at(-1)!;
  return { answer, request };
}

/** The branch as the model reads it (the user's messages and the complete answers), without the last, PENDING-then answer. */
const transcriptOf = (branch: any[]) =>
  branch
    .slice(0, -1)
    .filter((node) => node.sender === 'USER' || node.status === 'COMPLETE')
    .map((node) => ({ id: node.id as string, role: node.sender === 'USER' ? 'user' : 'assistant', content: node.content as string }));

const contextsOf = async (conversationId: string) =>
  (await db.query(`SELECT up_to_message_id::text AS "upTo", summary, token_count AS "tokenCount" FROM conversation_contexts WHERE conversation_id = $1 ORDER BY created_at`, [conversationId])).rows;

/** Tokens of a request as the window counts them: each message's text and 4 for its role, 3 to prime the reply. */
const tokensOf = (messages: Array<{ content: string }>) => messages.reduce((sum, message) => sum + countTokens(message.content) + 4, 3);

const words = (n: number, word: string) => Array.from({ length: n }, () => word).join(' ');

test('the system prompt carries the project: its name, the app the user wants and its files with their sizes', async () => {
  const chat = await conversationWith({ name: 'Recipe box', description: 'Recipes for the family', prompt: 'A recipe box with tags and search' });
  const html = '<!doctype html><title>Recipes</title><h1>Recipes</h1>';
  const css = 'h1 { color: tomato; }';
  await upload(chat, 'index.html', 'text/html', html);
  await upload(chat, 'assets/styles.css', 'text/css', css);

  const { answer, request } = await answerTo(chat, 'echo Make it blue');
  expect(answer.status).toBe('COMPLETE');
  const [system] = request.messages;
  expect(system!.role).toBe('system');
  expect(system!.content).toContain('Project: Recipe box');
  expect(system!.content).toContain('Recipes for the family');
  expect(system!.content).toContain('A recipe box with tags and search');
  expect(system!.content).toContain('Files (2, path and size in bytes):');
  expect(system!.content).toContain(`- index.html (${Buffer.byteLength(html)} bytes)`);
  expect(system!.content).toContain(`- assets/styles.css (${Buffer.byteLength(css)} bytes)`);
  expect(system!.content).not.toContain('<h1>');
});

test('past the window the older turns are summarized once, the summary is reused, and summarized again only when the window overflows again', async () => {
  const chat = await conversationWith({ name: 'Tiny', llm: 'tiny-window' });
  const from = platform.openai.requests.length;
  const summaryRequests = () => platform.openai.requests.slice(from).filter((request) => !request.stream);

  // Turns until the history passes the window.
  let turn = 0;
  let last: Awaited<ReturnType<typeof answerTo>>;
  do last = await answerTo(chat, `echo ${turn++} ${words(40, 'apple')}`);
  while (summaryRequests().length === 0 && turn < 20);
  const firstRound = summaryRequests().length;
  expect(firstRound).toBe(1);
  expect(turn).toBeGreaterThan(2);
  expect(last.answer.status).toBe('COMPLETE');

  // The model read the system prompt, the summary, then only the newest turns.
  const [system, summary, ...turns] = last.request.messages;
  expect(system!.role).toBe('system');
  expect(summary).toEqual({ role: 'system', content: expect.stringMatching(/^Summary of the conversation before the messages below:\nSummary \d+\.$/) });
  const transcript = transcriptOf(await branchOf(chat));
  expect(turns.length).toBeLessThan(transcript.length);
  expect(turns).toEqual(transcript.slice(-turns.length).map(({ role, content }) => ({ role, content })));
  expect(tokensOf(last.request.messages)).toBeLessThanOrEqual(BUDGET);

  // Stored with its token count, covering the branch up to the turn before the first one sent.
  const [stored, ...others] = await contextsOf(chat.conversationId);
  expect(others).toEqual([]);
  expect(summary!.content.endsWith(`\n${stored.summary}`)).toBe(true);
  expect(stored.tokenCount).toBe(countTokens(stored.summary));
  expect(stored.upTo).toBe(transcript[transcript.length - turns.length - 1]!.id);

  // The next answer reuses it: no summary request, the same summary, one more turn.
  const next = await answerTo(chat, `echo ${turn++} ${words(40, 'pear')}`);
  expect(summaryRequests()).toHaveLength(firstRound);
  expect(next.request.messages[1]).toEqual(summary);
  expect(next.request.messages.slice(2)).toEqual([...turns, { role: 'assistant', content: last.answer.content }, { role: 'user', content: next.request.messages.at(-1)!.content }]);

  // Until the window overflows again: then the summary so far and the turns since make the next one.
  do last = await answerTo(chat, `echo ${turn++} ${words(40, 'plum')}`);
  while (summaryRequests().length === firstRound && turn < 40);
  const secondRound = summaryRequests().slice(firstRound);
  expect(secondRound).toHaveLength(1);
  expect(secondRound[0]!.messages.at(-1)!.content).toContain(`The summary so far:\n${stored.summary}\n\nThe conversation since:\n`);
  const rows = await contextsOf(chat.conversationId);
  expect(rows).toHaveLength(2);
  expect(last.request.messages[1]!.content.endsWith(`\n${rows[1].summary}`)).toBe(true);
  expect(rows[1].tokenCount).toBe(countTokens(rows[1].summary));
  expect(tokensOf(last.request.messages)).toBeLessThanOrEqual(BUDGET);
});

test('a history far past a smaller window (the project changed models) is summarized in parts, each leading into the next', async () => {
  const chat = await conversationWith({ name: 'Switching' });
  for (let turn = 0; turn < 14; turn++) await answerTo(chat, `echo ${turn} ${words(40, 'fig')}`);
  ok(await chat.ask(`mutation ($id: ID!) { updateProject(id: $id, input: { llm: "tiny-window" }) { llm } }`, { id: chat.projectId }));
  const from = platform.openai.requests.length;
  const last = await answerTo(chat, `echo now ${words(40, 'kiwi')}`);
  expect(last.answer.status).toBe('COMPLETE');

  const parts = platform.openai.requests.slice(from).filter((request) => !request.stream);
  expect(parts.length).toBeGreaterThanOrEqual(2);
  expect(parts.length).toBeLessThanOrEqual(3);
  expect(parts[0]!.messages.at(-1)!.content).toMatch(/^The conversation:\n/);
  for (const [i, part] of parts.entries()) {
    expect(tokensOf(part.messages)).toBeLessThanOrEqual(BUDGET);
    if (i > 0) expect(part.messages.at(-1)!.content).toMatch(/^The summary so far:\nSummary \d+\.\n\nThe conversation since:\nUser: echo/);
  }
  const rows = await contextsOf(chat.conversationId);
  expect(rows).toHaveLength(1);
  expect(last.request.messages[1]!.content.endsWith(`\n${rows[0].summary}`)).toBe(true);
  expect(tokensOf(last.request.messages)).toBeLessThanOrEqual(BUDGET);
});

test('a summary that fails still gives a COMPLETE answer, from the newest turns that fit', async () => {
  const chat = await conversationWith({ name: 'Tiny', llm: 'tiny-window' });
  const from = platform.openai.requests.length;
  const failedSummaries = () => platform.openai.requests.slice(from).filter((request) => !request.stream);

  // The fake server refuses to summarize a transcript that says "summary fails".
  let turn = 0;
  let last = await answerTo(chat, `echo summary fails ${words(40, 'apple')}`);
  while (failedSummaries().length === 0 && turn < 20) last = await answerTo(chat, `echo ${turn++} ${words(40, 'apple')}`);
  expect(failedSummaries()).toHaveLength(1);

  expect(last.answer).toMatchObject({ status: 'COMPLETE', content: `${turn - 1} ${words(40, 'apple')}` });
  const [system, ...turns] = last.request.messages;
  expect(system!.role).toBe('system');
  expect(turns.every((message) => message.role !== 'system')).toBe(true);
  const transcript = transcriptOf(await branchOf(chat));
  expect(turns.length).toBeLessThan(transcript.length);
  expect(turns).toEqual(transcript.slice(-turns.length).map(({ role, content }) => ({ role, content })));
  expect(tokensOf(last.request.messages)).toBeLessThanOrEqual(BUDGET);
  expect(await contextsOf(chat.conversationId)).toEqual([]);
});

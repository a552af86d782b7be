// MCP tools in chat, through the router: a project's config.mcpServerIds puts those servers'
// tools beside the file tools; the model's call goes to the mcp service as the user, is stored
// and streamed with its result, and the answer uses it. With consent ASK the call waits for the
// user's approval (and is not made when refused); NEVER tools are not offered.
import { z } from 'zod';
import { eventually, graphql, startSdkMcpServer, type SdkMcpServer } from '@builderai/testkit';
import { signUp, startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';

const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`;
const CONFIG = `mutation ($id: ID!, $input: ProjectConfigInput!) { updateProjectConfig(id: $id, input: $input) { id } }`;
const REGISTER = `mutation ($input: RegisterMcpServerInput!) { registerMcpServer(input: $input) { id } }`;
const TEST = `mutation ($id: ID!) { testMcpServer(id: $id) { ok tools { name consent } } }`;
const CONSENT = `mutation ($id: ID!, $tool: String!, $consent: McpToolConsent!) { setMcpToolConsent(serverId: $id, tool: $tool, consent: $consent) { name consent } }`;
const CREATE = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`;
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;
const ANSWERS = `query ($id: ID!) { conversation(id: $id) { messages { edges { node { id status error content parent { id } toolCalls { id name arguments result error } } } } } }`;
const APPROVE = `mutation ($m: ID!, $t: ID!) { approveToolCall(messageId: $m, toolCallId: $t) }`;
const REJECT = `mutation ($m: ID!, $t: ID!) { rejectToolCall(messageId: $m, toolCallId: $t) }`;

let platform: PlatformWithModels;
let server: SdkMcpServer;
let echoes = 0;
beforeAll(async () => {
  server = await startSdkMcpServer({
    tools: [{ name: 'echo', description: 'Echoes', inputSchema: { message: z.string() }, handler: ({ message }: { message: string }) => `echo: ${(echoes += 1) && message}` }],
  });
  platform = await startTestPlatformWithModels({ MCP_ALLOW_NETWORKS: 'loopback', CHAT_IDLE_TIMEOUT_MS: '5000', CHAT_TOOL_APPROVAL_TIMEOUT_MS: '20000' });
});
afterAll(async () => {
  await platform?.close();
  await server?.close();
});

async function setUp() {
  const { token, data: ask } = await signUp(platform, 'Mcp Chat');
  const serverId = (await ask(REGISTER, { input: { name: 'Tools', transport: 'STREAMABLE_HTTP', url: server.url('streamableHttp') } })).registerMcpServer.id as string;
  expect((await ask(TEST, { id: serverId })).testMcpServer.ok).toBe(true);
  const projectId = (await ask(CREATE_PROJECT, { input: { name: 'With tools', llm: 'gpt-4o-mini' } })).createProject.id as string;
  await ask(CONFIG, { id: projectId, input: { mcpServerIds: [serverId] } });
  const conversationId = (await ask(CREATE, { input: { projectId } })).createConversation.id as string;
  return { token, ask, serverId, conversationId };
}

async function answerOf(ask: (query: string, variables?: Record<string, unknown>) => Promise<any>, conversationId: string, question: string, settled = true) {
  return eventually(async () => {
    const answer = (await ask(ANSWERS, { id: conversationId })).conversation.messages.edges.map((edge: any) => edge.node).find((node: any) => node.parent?.id === question);
    return answer && (!settled || !['PENDING', 'STREAMING'].includes(answer.status)) ? answer : undefined;
  }, 'the answer');
}

/** The answer's events in its conversation's stream. */
async function streamed(conversationId: string, messageId: string) {
  const entries = await platform.infra.streams.read(`conversation:${conversationId}`, undefined, 500);
  return entries.filter((entry) => entry.fields.messageId === messageId).map((entry) => entry.fields);
}

test('an ALWAYS tool is called as the user, stored and streamed, and the answer uses its result; NEVER tools are not offered', async () => {
  const user = await setUp();
  await user.ask(CONSENT, { id: user.serverId, tool: 'add', consent: 'ALWAYS' });
  await user.ask(CONSENT, { id: user.serverId, tool: 'fail', consent: 'NEVER' });
  platform.openai.script('Add two and three', (turn) =>
    turn.step === 0 ? { toolCalls: [{ name: 'mcp0_add', arguments: { a: 2, b: 3 } }] } : { text: `The sum is ${turn.toolResults.at(-1)}.` },
  );
  const question = (await user.ask(SEND, { input: { conversationId: user.conversationId, content: 'Add two and three' } })).sendMessage.id;
  const answer = await answerOf(user.ask, user.conversationId, question);
  expect(answer).toMatchObject({ status: 'COMPLETE', content: 'The sum is 5.' });
  expect(answer.toolCalls).toEqual([{ id: expect.any(String), name: 'mcp0_add', arguments: { a: 2, b: 3 }, result: '5', error: null }]);
  expect((await streamed(user.conversationId, answer.id)).map((fields) => fields.type)).toEqual(expect.arrayContaining(['tool_call', 'tool_result']));
  // The model was offered the server's tools beside the file tools, without the NEVER one.
  const request = platform.openai.requests.find((one) => one.messages.some((message) => message.content === 'Add two and three'))!;
  const offered = (request.tools as Array<{ function: { name: string; description: string } }>).map((tool) => tool.function.name);
  expect(offered).toEqual(expect.arrayContaining(['read_file', 'apply_edit', 'mcp0_add', 'mcp0_echo']));
  expect(offered).not.toContain('mcp0_fail');
});

test('an ASK tool waits for the approval: approved, it runs; rejected, it is not made', async () => {
  const user = await setUp();
  platform.openai.script('Echo with approval', (turn) =>
    turn.step < 2 ? { toolCalls: [{ name: 'mcp0_echo', arguments: { message: `try ${turn.step}` } }] } : { text: `Results: ${turn.toolResults.join(' | ')}` },
  );
  const before = echoes;
  const question = (await user.ask(SEND, { input: { conversationId: user.conversationId, content: 'Echo with approval' } })).sendMessage.id;
  const running = await answerOf(user.ask, user.conversationId, question, false);
  const waitingFor = async (n: number) =>
    eventually(async () => {
      const approvals = (await streamed(user.conversationId, running.id)).filter((fields) => fields.type === 'tool_approval');
      return approvals.length >= n ? approvals[n - 1]! : undefined;
    }, `approval request ${n}`);
  const first = await waitingFor(1);
  expect(first).toMatchObject({ name: 'mcp0_echo', arguments: JSON.stringify({ message: 'try 0' }) });
  // Nothing ran before the approval.
  expect(echoes).toBe(before);
  expect((await user.ask(APPROVE, { m: running.id, t: first.toolCallId })).approveToolCall).toBe(true);
  const second = await waitingFor(2);
  expect((await user.ask(REJECT, { m: running.id, t: second.toolCallId })).rejectToolCall).toBe(true);
  const answer = await answerOf(user.ask, user.conversationId, question);
  expect(answer.status).toBe('COMPLETE');
  expect(answer.toolCalls.map((call: any) => [call.result, call.error])).toEqual([
    ['echo: try 0', null],
    [null, 'The user did not allow this call'],
  ]);
  expect(echoes).toBe(before + 1);
  // Nobody else approves another user's calls.
  const stranger = await setUp();
  const foreign = await graphql(platform.graphqlUrl, APPROVE, { m: running.id, t: first.toolCallId }, { token: stranger.token });
  expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

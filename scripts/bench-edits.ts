// `npm run bench:edits`: what a one-line change costs in tokens in a 20-file project (bench/edits/
// project.ts), made with apply_edit and with a whole-file write_file. The real platform runs
// in-process on bench-only databases; the model is a local server speaking OpenAI's protocol
// that makes the calls a model makes for that change (read the file, change it, say so) and
// counts tokens as the model would (gpt-tokenizer, o200k): the system prompt, the conversation,
// the tool definitions, every call and every result, over all the requests of the turn. Prints
// the prompt and completion tokens of each way and their ratio; checks both left the same file.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrateAll } from '@builderai/kit/migrate';
import { REPO_ROOT as root } from '@builderai/kit/services';
import { graphql, type ScriptedStep } from '@builderai/testkit';
import { startTestPlatformWithModels } from '@builderai/platform/testing';
import { alignedTable, markdownOf } from '../bench/report.js';
import { projectFiles, TARGET } from '../bench/edits/project.js';
import { benchPlatformEnv } from '../bench/platform-env.js';

const started = Date.now();
const log = (message: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}`);

const runId = randomUUID().slice(0, 8);
const platformEnv = benchPlatformEnv(runId);

const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }';
const CREATE_PROJECT = 'mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }';
const CREATE_CONVERSATION = 'mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }';
const SEND = 'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }';
const ANSWER = `query ($id: ID!) { conversation(id: $id) { messages { edges { node { sender status error content metadata { promptTokens completionTokens toolSteps } } } } } }`;
const FILE = 'query ($id: ID!, $path: String!) { project(id: $id) { file(path: $path) { text } } }';
const MODELS = 'query { models { id inputUsdPerMTok outputUsdPerMTok } }';
const MODEL = 'gpt-4o-mini';

interface Way {
  tool: 'apply_edit' | 'write_file';
  promptTokens: number;
  completionTokens: number;
  requests: number;
}

async function main() {
  log(`migrating the bench databases (${platformEnv.DATABASE_PREFIX}<service>)`);
  await migrateAll({ env: platformEnv, root, log: (line) => log(`  ${line}`) });
  log('starting the platform');
  const platform = await startTestPlatformWithModels(platformEnv);
  try {
    const url = platform.graphqlUrl;
    const { data } = await graphql(url, REGISTER, { input: { email: `bench-${runId}@example.com`, password: 'correct horse 42', name: 'Bench' } });
    const token = data.register.accessToken as string;
    const ask = async (query: string, variables: Record<string, unknown>) => {
      const result = await graphql(url, query, variables, { token });
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };

    const files = projectFiles();
    const changed = files[TARGET.path]!.replace(TARGET.before, TARGET.after);
    const seed = 'Create the recipe box app.';
    platform.openai.script(seed, [{ toolCalls: Object.entries(files).map(([file, content]) => ({ name: 'write_file', arguments: { path: file, content } })) }, { text: 'Created the app.' }]);
    const read: ScriptedStep = { toolCalls: [{ name: 'read_file', arguments: { path: TARGET.path } }] };
    const done: ScriptedStep = { text: 'The title now reads Recipe Box Pro.' };
    const ways: Record<Way['tool'], ScriptedStep[]> = {
      apply_edit: [read, { toolCalls: [{ name: 'apply_edit', arguments: { path: TARGET.path, edits: [{ search: TARGET.before, replace: TARGET.after }] } }] }, done],
      write_file: [read, { toolCalls: [{ name: 'write_file', arguments: { path: TARGET.path, content: changed } }] }, done],
    };

    /** Sends `content` in a new conversation about the project and waits for its answer. */
    const turn = async (projectId: string, content: string) => {
      const conversationId = (await ask(CREATE_CONVERSATION, { input: { projectId } })).createConversation.id;
      await ask(SEND, { input: { conversationId, content } });
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
        const answer = (await ask(ANSWER, { id: conversationId })).conversation.messages.edges.map((edge: any) => edge.node).find((node: any) => node.sender === 'ASSISTANT');
        if (answer && !['PENDING', 'STREAMING'].includes(answer.status)) {
          if (answer.status !== 'COMPLETE') throw new Error(`the answer ended ${answer.status}: ${answer.error}`);
          return answer.metadata as { promptTokens: number; completionTokens: number; toolSteps: number };
        }
      }
      throw new Error('no answer within 120 s');
    };

    const results: Way[] = [];
    for (const tool of ['apply_edit', 'write_file'] as const) {
      log(`${tool}: a project of ${Object.keys(files).length} files (${Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0)} bytes), seeded by one turn`);
      const projectId = (await ask(CREATE_PROJECT, { input: { name: `Recipe box (${tool})`, llm: MODEL } })).createProject.id;
      await turn(projectId, seed);
      const instruction = `Rename the app to Recipe Box Pro (${tool}).`;
      platform.openai.script(instruction, ways[tool]);
      log(`${tool}: changing one line of ${TARGET.path}`);
      const usage = await turn(projectId, instruction);
      const text = (await ask(FILE, { id: projectId, path: TARGET.path })).project.file?.text;
      if (text !== changed) throw new Error(`${tool} did not leave ${TARGET.path} as expected`);
      results.push({ tool, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, requests: usage.toolSteps + 1 });
    }

    const [edit, write] = results as [Way, Way];
    const price = (await ask(MODELS, {})).models.find((model: { id: string }) => model.id === MODEL);
    const total = (way: Way) => way.promptTokens + way.completionTokens;
    const usd = (way: Way) => (way.promptTokens * price.inputUsdPerMTok + way.completionTokens * price.outputUsdPerMTok) / 1e6;
    const headers = { tool: 'tool', requests: 'model requests', prompt: 'prompt tokens', completion: 'completion tokens', total: 'total tokens', ratio: 'vs apply_edit', cost: `USD (${MODEL})`, costRatio: 'vs apply_edit ' };
    const body = results.map((way) => ({
      tool: way.tool,
      requests: String(way.requests),
      prompt: String(way.promptTokens),
      completion: String(way.completionTokens),
      total: String(total(way)),
      ratio: `${(total(way) / total(edit)).toFixed(2)}x`,
      cost: usd(way).toFixed(6),
      costRatio: `${(usd(way) / usd(edit)).toFixed(2)}x`,
    }));
    console.log(`\nA one-line change in ${TARGET.path} (${Buffer.byteLength(files[TARGET.path]!)} bytes) of a ${Object.keys(files).length}-file project; both left the same file.\n`);
    console.log(alignedTable(headers, body));
    console.log(`\ncompletion tokens: write_file ${(write.completionTokens / edit.completionTokens).toFixed(1)}x apply_edit\n\n${markdownOf(headers, body)}`);
    const dir = path.join(root, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `edits-${new Date().toISOString().slice(0, 10)}.json`);
    writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), target: TARGET, model: price, results }, null, 2)}\n`);
    log(`wrote ${path.relative(root, file)}`);
  } finally {
    await platform.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

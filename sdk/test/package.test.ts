// The SDK as an app outside the repository gets it: the packed tarball installed into an empty
// folder, used from plain .mjs in Node (no TypeScript loader), bundled for the browser, and its
// declarations checked by tsc.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { REPO_ROOT } from '@builderai/kit/services';
import { uniqueEmail } from '@builderai/testkit';
import { startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';

const run = promisify(execFile);
const SDK_DIR = path.join(REPO_ROOT, 'sdk');
const TSC = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');

let platform: PlatformWithModels;
let app: string;
let packed: { files: Array<{ path: string }>; filename: string };

beforeAll(async () => {
  app = await mkdtemp(path.join(os.tmpdir(), 'builderai-sdk-app-'));
  // `npm pack` builds first (prepack): the tarball holds what `npm run build` makes.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', app], { cwd: SDK_DIR });
  [packed] = JSON.parse(stdout);
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'sdk-user-app', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', path.join(app, packed.filename)], { cwd: app });
  platform = await startTestPlatformWithModels();
}, 180_000);

afterAll(async () => {
  await platform?.close();
  await rm(app, { recursive: true, force: true });
});

test('the tarball ships the build and its declarations, not the sources', () => {
  const files = packed.files.map((file) => file.path).sort();
  expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/session.js', 'dist/subscriptions.js', 'dist/documents.js', 'dist/generated/sdk.js']));
  expect(files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md'].includes(file))).toEqual([]);
  expect(files.some((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toBe(false);
});

test('plain Node registers, logs in, reads me and follows an answer with the installed package', async () => {
  const script = path.join(app, 'app.mjs');
  await writeFile(
    script,
    `import { createClient, BuilderAIError } from '@builderai/sdk';
const [url, email, ws] = process.argv.slice(2);
// Node 20 has no global WebSocket: the app brings one (here the repository's copy of ws).
const { default: WebSocket } = await import(ws);
let token;
const client = createClient({ url, accessToken: () => token, webSocketImpl: WebSocket });
await client.register({ input: { email, password: 'correct horse 42', name: 'Ada' } });
const { login } = await client.login({ input: { email, password: 'correct horse 42' } });
token = login.accessToken;
const { me } = await client.me();
const failure = await client.login({ input: { email, password: 'wrong password 1' } }).catch((error) => error);
const { createProject } = await client.createProject({ input: { name: 'Packed' } });
const { createConversation } = await client.createConversation({ input: { projectId: createProject.id } });
await client.sendMessage({ input: { conversationId: createConversation.id, content: 'echo streamed to node' } });
let text = '';
for await (const { messageStream } of client.messageStream({ conversationId: createConversation.id })) {
  if (messageStream.type === 'DELTA') text += messageStream.delta;
  if (messageStream.type === 'DONE') break;
}
console.log(JSON.stringify({ email: me.email, coded: failure instanceof BuilderAIError ? failure.code : String(failure), text }));
`,
  );
  const email = uniqueEmail('sdk-app');
  const ws = pathToFileURL(path.join(REPO_ROOT, 'node_modules/ws/wrapper.mjs')).href;
  const { stdout } = await run(process.execPath, [script, platform.graphqlUrl, email, ws], { cwd: app, env: { PATH: process.env.PATH } });
  expect(JSON.parse(stdout)).toEqual({ email, coded: 'UNAUTHENTICATED', text: 'streamed to node' });
  // CommonJS apps on Node 20.19+ require() it as well.
  const required = await run(process.execPath, ['-e', "console.log(typeof require('@builderai/sdk').createClient)"], { cwd: app });
  expect(required.stdout.trim()).toBe('function');
});

test('bundles for the browser with no Node built-ins', async () => {
  const entry = path.join(app, 'browser.mjs');
  await writeFile(entry, `import { createClient } from '@builderai/sdk';\nexport const me = () => createClient({ url: '/graphql' }).me();\n`);
  const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', minify: true, write: false, absWorkingDir: app, logLevel: 'silent' });
  expect(result.errors).toEqual([]);
  const code = result.outputFiles[0]!.text;
  // (graphql-ws's client uses the browser's WebSocket: no import of ws either.)
  expect(code).not.toMatch(/from\s*["']node:|from["']ws["']|require\(["'](node:)?(fs|http|net|crypto|ws)["']\)/);
  // Both figures go in the README's SDK section.
  console.log(`sdk browser bundle (createClient + me): ${code.length} B minified, ${gzipSync(code).length} B gzipped`);
});

test('tsc refuses a consumer that reads a field the operation does not select', async () => {
  await writeFile(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, types: [] } }));
  const consumer = (body: string) => `import { createClient } from '@builderai/sdk';\nconst client = createClient({ url: 'http://localhost:4000/graphql' });\nconst { me } = await client.me();\n${body}\nexport {};\n`;
  // Typed documents for other GraphQL clients, and typed error codes, come with it.
  await writeFile(
    path.join(app, 'documents.mts'),
    `import type { ResultOf } from '@graphql-typed-document-node/core';\nimport { MeDocument } from '@builderai/sdk/documents';\nimport type { ErrorCode } from '@builderai/sdk';\nexport const email = (data: ResultOf<typeof MeDocument>): string | null | undefined => data.me?.email;\nexport const conflict: ErrorCode = 'CONFLICT';\nexport const kind: string = MeDocument.kind;\n`,
  );
  // A subscription's results are typed as well.
  await writeFile(
    path.join(app, 'stream.mts'),
    `import { createClient, type MessageStreamEventType } from '@builderai/sdk';\nconst client = createClient({ url: 'http://localhost:4000/graphql' });\nfor await (const { messageStream } of client.messageStream({ conversationId: '1', after: null })) {\n  const type: MessageStreamEventType = messageStream.type;\n  const text: string | null = messageStream.delta;\n  const content: string = messageStream.message.content;\n  console.log(type, text, content, messageStream.cursor.length);\n}\nexport {};\n`,
  );
  await writeFile(path.join(app, 'consumer.mts'), consumer('const email: string | null | undefined = me?.email;'));
  await run(process.execPath, [TSC, '-p', app]);
  await writeFile(path.join(app, 'consumer.mts'), consumer('const hash = me?.passwordHash;'));
  const failure = await run(process.execPath, [TSC, '-p', app]).catch((error: { stdout: string }) => error);
  expect((failure as { stdout: string }).stdout).toMatch(/error TS2339: Property 'passwordHash' does not exist/);
});

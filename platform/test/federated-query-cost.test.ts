// One `me { projects { ... files ... } }` costs the same number of SQL statements for 1 and
// for 50 projects: every subgraph batches its part of the query plan per request.
import pg from 'pg';
import { graphql, uniqueEmail, eventually } from '@builderai/testkit';
import { startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

const ME = `{ me { projects(first: 50) { edges { node { name status files { name size contentType } previewUrl } } } storage { used total } } }`;
// Statements of request handling; the relay's and consumers' own bookkeeping (their tables and
// transaction control) is not part of it.
const BOOKKEEPING = /outbox_events|processed_events|^\s*(BEGIN|COMMIT|ROLLBACK)\b/i;

let platform: RunningPlatform;
let statements = 0;
let counting = false;
const originalQuery = pg.Client.prototype.query;

beforeAll(async () => {
  // The files sweeper's periodic statements would be counted too: keep it idle here.
  platform = await startTestPlatform({ FILES_SWEEP_INTERVAL_SECONDS: '3600' });
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    if (counting && text && !BOOKKEEPING.test(text)) statements += 1;
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
});
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await platform?.close();
});

async function userWithProjects(count: number): Promise<string> {
  const registered = await graphql(platform.graphqlUrl, `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`, {
    input: { email: uniqueEmail('cost'), password: 'correct horse 42', name: 'Cost' },
  });
  const token: string = registered.data.register.accessToken;
  for (let n = 0; n < count; n++) {
    const created = await graphql(platform.graphqlUrl, `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`, { input: { name: `App ${n}` } }, { token });
    const projectId = created.data.createProject.id;
    const html = Buffer.from(`<!doctype html><title>${n}</title>`);
    const started = await graphql(
      platform.graphqlUrl,
      `mutation ($input: CreateUploadInput!) { createUpload(input: $input) { file { id } uploadUrl method headers { name value } } }`,
      { input: { name: 'index.html', size: html.length, contentType: 'text/html', projectId } },
      { token },
    );
    const { file, uploadUrl, method, headers } = started.data.createUpload;
    await fetch(uploadUrl, { method, headers: Object.fromEntries(headers.map((h: { name: string; value: string }) => [h.name, h.value])), body: new Uint8Array(html) });
    await graphql(platform.graphqlUrl, `mutation ($id: ID!) { completeUpload(id: $id) { id } }`, { id: file.id }, { token });
  }
  // Wait until the projects service has linked every file.
  await eventually(async () => {
    const answer = await graphql(platform.graphqlUrl, ME, {}, { token });
    const edges = answer.data?.me?.projects?.edges ?? [];
    return edges.length === count && edges.every((edge: { node: { files: unknown[] } }) => edge.node.files.length === 1);
  }, 'every file linked to its project', 60_000);
  return token;
}

/** The fewest statements of three identical requests: background work can only add to a count. */
async function statementsFor(token: string): Promise<number> {
  const counts: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    statements = 0;
    counting = true;
    const answer = await graphql(platform.graphqlUrl, ME, {}, { token });
    counting = false;
    expect(answer.errors).toBeUndefined();
    counts.push(statements);
  }
  return Math.min(...counts);
}

test('statements per request do not grow with the number of projects', async () => {
  const one = await statementsFor(await userWithProjects(1));
  const fifty = await statementsFor(await userWithProjects(50));
  expect(one).toBeGreaterThan(0);
  expect(fifty).toBe(one);
}, 180_000);

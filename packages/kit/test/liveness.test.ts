// /health/live answers 503 when the process is stuck: a request has waited past
// LIVENESS_STUCK_MS and none has been answered since. One slow request among answered ones is
// not stuck; a process whose requests all hang is, and recovers when they are answered.
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, generateKeys, IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity, startSubgraph, type RunningSubgraph } from '../src/index.js';

const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { hang: Boolean, ok: Boolean }`;
const STUCK_MS = 300;
const keys = generateKeys();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let subgraph: RunningSubgraph;
const hanging: Array<() => void> = [];

beforeAll(async () => {
  const schemaFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'builderai-liveness-')), 'schema.graphql');
  await writeFile(schemaFile, SDL);
  subgraph = await startSubgraph({
    name: 'probe',
    schemaFile,
    resolvers: { Query: { hang: () => new Promise<boolean>((resolve) => hanging.push(() => resolve(true))), ok: () => true } },
    port: 0,
    identityPublicKey: keys.identityPublicKey,
    maxBodyBytes: 10_000,
    livenessStuckMs: STUCK_MS,
    logger: createLogger('liveness-test', 'silent'),
    createContext: (base) => base,
  });
});

afterAll(async () => {
  for (const release of hanging) release();
  await subgraph.close();
});

function ask(query: string) {
  const requestId = randomUUID();
  return fetch(subgraph.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity({ roles: [] }, keys.identityPrivateKey, { subgraph: 'probe', requestId }), [REQUEST_ID_HEADER]: requestId },
    body: JSON.stringify({ query }),
  });
}
const live = async () => {
  const response = await fetch(`${subgraph.url}/health/live`);
  return { status: response.status, body: await response.json() };
};

test('a slow request among answered ones leaves the process live', async () => {
  const slow = ask('{ hang }');
  for (let elapsed = 0; elapsed < STUCK_MS * 1.5; elapsed += 50) {
    expect((await ask('{ ok }')).status).toBe(200);
    await sleep(50);
  }
  expect(await live()).toEqual({ status: 200, body: { status: 'live', service: 'probe' } });
  hanging.shift()!();
  expect((await slow).status).toBe(200);
});

test('requests that all hang make the process stuck until they are answered', async () => {
  const stuck = [ask('{ hang }'), ask('{ hang }')];
  await sleep(STUCK_MS * 1.5);
  expect(await live()).toEqual({ status: 503, body: { status: 'stuck', service: 'probe' } });
  // Operators see why, on the guarded readiness route; a stuck process takes no traffic either.
  const ready = await fetch(`${subgraph.url}/health/ready`);
  expect(ready.status).toBe(503);
  expect((await ready.json()).checks.requests).toMatchObject({ status: 'down', error: expect.stringMatching(/^stuck: 2 request\(s\) waiting/) });

  while (hanging.length) hanging.shift()!();
  for (const response of await Promise.all(stuck)) expect(response.status).toBe(200);
  expect((await live()).status).toBe(200);
});

// Through the router: a user creates a project, uploads index.html and a PNG through the
// returned URLs, completes them, reads them back from `me`, and opens the preview.
import { deflateSync } from 'node:zlib';
import { eventually, graphql, uniqueEmail } from '@builderai/testkit';
import { startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`;
const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id status } }`;
const CREATE_UPLOAD = `mutation ($input: CreateUploadInput!) { createUpload(input: $input) { file { id status } uploadUrl method headers { name value } } }`;
const COMPLETE_UPLOAD = `mutation ($id: ID!) { completeUpload(id: $id) { id status size checksum } }`;
const ME = `{ me { projects { edges { node { name status files { name size contentType } previewUrl } } } storage { used total } } }`;

/** A real 1×1 PNG, so the type sniffed from its first bytes is image/png. */
function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0, 255]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let platform: RunningPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform?.close());

async function upload(token: string, projectId: string, name: string, contentType: string, bytes: Buffer) {
  const started = await graphql(platform.graphqlUrl, CREATE_UPLOAD, { input: { name, size: bytes.length, contentType, projectId } }, { token });
  expect(started.errors).toBeUndefined();
  const { file, uploadUrl, method, headers } = started.data.createUpload;
  const put = await fetch(uploadUrl, {
    method,
    headers: Object.fromEntries(headers.map((header: { name: string; value: string }) => [header.name, header.value])),
    body: new Uint8Array(bytes),
  });
  expect(put.ok).toBe(true);
  const completed = await graphql(platform.graphqlUrl, COMPLETE_UPLOAD, { id: file.id }, { token });
  expect(completed.errors).toBeUndefined();
  expect(completed.data.completeUpload).toMatchObject({ status: 'READY', size: bytes.length });
}

test('create a project, upload its files, read them from me and open the preview', async () => {
  const registered = await graphql(platform.graphqlUrl, REGISTER, { input: { email: uniqueEmail('maker'), password: 'correct horse 42', name: 'Maker' } });
  const token = registered.data.register.accessToken;
  const created = await graphql(platform.graphqlUrl, CREATE_PROJECT, { input: { name: 'Todo app', prompt: 'A todo list' } }, { token });
  expect(created.errors).toBeUndefined();
  const projectId = created.data.createProject.id;

  const html = Buffer.from('<!doctype html><html><head><title>Todo</title></head><body><img src="logo.png"><h1>Todo</h1></body></html>');
  const png = tinyPng();
  await upload(token, projectId, 'index.html', 'text/html', html);
  await upload(token, projectId, 'logo.png', 'image/png', png);

  // The project learns its files through files.file.uploaded events.
  const me = await eventually(async () => {
    const answer = await graphql(platform.graphqlUrl, ME, {}, { token });
    return answer.data?.me?.projects?.edges?.[0]?.node?.files?.length === 2 ? answer.data.me : undefined;
  });
  const project = me.projects.edges[0].node;
  expect(project.name).toBe('Todo app');
  expect(project.status).toBe('DRAFT');
  expect([...project.files].sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name))).toEqual([
    { name: 'index.html', size: html.length, contentType: 'text/html' },
    { name: 'logo.png', size: png.length, contentType: 'image/png' },
  ]);
  expect(me.storage.used).toBe(html.length + png.length);
  expect(me.storage.total).toBeGreaterThan(me.storage.used);

  const preview = await fetch(project.previewUrl);
  expect(preview.status).toBe(200);
  expect(preview.headers.get('content-type')).toMatch(/^text\/html/);
  expect(preview.headers.get('content-security-policy')).toMatch(/sandbox/);
  expect(await preview.text()).toBe(html.toString());
  const logo = await fetch(new URL('logo.png', project.previewUrl));
  expect(logo.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await logo.arrayBuffer())).toEqual(png);
});

// writeFile, the user's own save of a text file, in both storage modes: created or replaced at
// once (no checkpoint), at the version the edit was made on, within the quota; and reading
// text back (File.text, Project.file) for the owner and admins only.
import { errorCodesOf, expectNoGraphQLErrors } from '@builderai/testkit';
import {
  admin,
  as,
  eventually,
  fileAt,
  newProject,
  newUserId,
  PNG,
  sha256Of,
  startFiles,
  storageOf,
  STORAGE_MODES,
  uploadFile,
  writeFile,
  type FilesHarness,
} from './helpers.js';
import { FileTextDocument, WriteFileDocument } from './generated/operations.js';

const QUOTA = 8192;
const TEXT_MAX = 2048;
const CSS = 'h1 { color: rebeccapurple; }\n';

describe.each(STORAGE_MODES)('writeFile (%s storage)', (mode) => {
  let harness: FilesHarness;

  beforeAll(async () => {
    harness = await startFiles(mode, { FILES_QUOTA_BYTES: String(QUOTA), FILES_TEXT_MAX_BYTES: String(TEXT_MAX) });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('writes a new text file, typed by its extension, READY and downloadable at once', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);

    const file = expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: './styles/app.css', text: CSS, ifChecksum: '' })).writeFile;
    expect(file).toMatchObject({ name: 'app.css', path: 'styles/app.css', size: Buffer.byteLength(CSS), contentType: 'text/css', checksum: sha256Of(CSS), status: 'READY', text: CSS, project: { id: projectId } });
    expect(await (await fetch(file.downloadUrl!)).text()).toBe(CSS);
    expect(await fileAt(harness, as(userId), projectId, 'styles/app.css')).toMatchObject({ checksum: sha256Of(CSS), text: CSS });
    expect(await storageOf(harness, userId)).toMatchObject({ used: Buffer.byteLength(CSS) });
    // Stored under a key of its own content, not of a name.
    expect(await harness.objectKeys(userId)).toEqual([expect.stringMatching(new RegExp(`^users/${userId}/blobs/[0-9a-f-]{36}$`))]);
    // Not a checkpoint.
    expect(await harness.db.checkpoint.count({ where: { projectId } })).toBe(0);
  });

  it('replaces the file at the version it was made on, giving the old version its space back', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const first = expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'index.html', text: '<p>one</p>\n' })).writeFile;
    const second = expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'index.html', text: '<p>two</p>\n', ifChecksum: first.checksum })).writeFile;

    expect(second).toMatchObject({ path: 'index.html', text: '<p>two</p>\n' });
    expect(second.id).not.toBe(first.id);
    expect(await harness.db.file.findMany({ where: { projectId }, select: { id: true } })).toEqual([{ id: second.id }]);
    expect(await storageOf(harness, userId)).toMatchObject({ used: Buffer.byteLength('<p>two</p>\n') });
    expect(await harness.objectKeys(userId)).toHaveLength(1);
    await eventually(() => harness.db.outboxEvent.findFirst({ where: { type: 'files.file.deleted', payload: { path: ['fileId'], equals: first.id } } }), 'files.file.deleted for the old version');
    await eventually(() => harness.db.outboxEvent.findFirst({ where: { type: 'files.file.uploaded', payload: { path: ['fileId'], equals: second.id } } }), 'files.file.uploaded for the new one');

    // The same text again changes nothing.
    const same = expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'index.html', text: '<p>two</p>\n' })).writeFile;
    expect(same.id).toBe(second.id);
  });

  it('refuses an edit made on another version, or a new file where one exists, changing nothing', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const file = expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'index.html', text: '<p>one</p>\n' })).writeFile;

    for (const ifChecksum of [sha256Of('<p>older</p>\n'), '']) {
      const answer = await writeFile(harness, userId, { projectId, path: 'index.html', text: '<p>mine</p>\n', ifChecksum });
      expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'ifChecksum' });
    }
    expect(await fileAt(harness, as(userId), projectId, 'index.html')).toMatchObject({ checksum: file.checksum });
    expect(await harness.objectKeys(userId)).toHaveLength(1);
    expect(await storageOf(harness, userId)).toMatchObject({ used: Buffer.byteLength('<p>one</p>\n') });
    // A file that does not exist is not at any version.
    expect(errorCodesOf(await writeFile(harness, userId, { projectId, path: 'new.html', text: '<p>x</p>', ifChecksum: file.checksum }))).toEqual(['CONFLICT']);
  });

  it('lets one of two saves made on the same version land, and tells the other', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const file = expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'index.html', text: '<p>one</p>\n' })).writeFile;

    const answers = await Promise.all(['<p>a</p>\n', '<p>b</p>\n', '<p>c</p>\n'].map((text) => writeFile(harness, userId, { projectId, path: 'index.html', text, ifChecksum: file.checksum })));
    expect(answers.map((answer) => errorCodesOf(answer)[0] ?? 'OK').sort()).toEqual(['CONFLICT', 'CONFLICT', 'OK']);
    const landed = answers.find((answer) => !answer.body.errors)!.body.data!.writeFile;
    expect(await fileAt(harness, as(userId), projectId, 'index.html')).toMatchObject({ checksum: landed.checksum });
    expect(await storageOf(harness, userId)).toMatchObject({ used: landed.size });
    await eventually(async () => (await harness.objectKeys(userId)).length === 1, 'the losers to leave no object');
  });

  it.each([
    ['a path that climbs out', { path: '../index.html', text: '<p>x</p>' }],
    ['a type that is not text', { path: 'logo.png', text: 'x' }],
    ['a text over FILES_TEXT_MAX_BYTES', { path: 'big.txt', text: 'x'.repeat(TEXT_MAX + 1) }],
    ['an .svg that is no SVG', { path: 'icon.svg', text: '<p>not svg</p>' }],
  ])('refuses %s as bad input, storing nothing', async (_, input) => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const answer = await writeFile(harness, userId, { projectId, ...input });
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'path' });
    expect(await harness.db.file.count({ where: { projectId } })).toBe(0);
    expect(await harness.objectKeys(userId)).toEqual([]);
  });

  it("refuses another user's project as unknown, and anyone not signed in", async () => {
    const owner = newUserId();
    const projectId = newProject(harness, owner);
    expect(errorCodesOf(await writeFile(harness, newUserId(), { projectId, path: 'index.html', text: '<p>x</p>' }))).toEqual(['NOT_FOUND']);
    expect(errorCodesOf(await harness.files.request(WriteFileDocument, { input: { projectId, path: 'index.html', text: '<p>x</p>' } }))).toEqual(['UNAUTHENTICATED']);
    expect(await harness.db.file.count({ where: { projectId } })).toBe(0);
  });

  it('refuses a text that does not fit the quota, storing nothing', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    for (let i = 0; i < 4; i++) expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: `part${i}.txt`, text: String(i).repeat(TEXT_MAX) }));

    const answer = await writeFile(harness, userId, { projectId, path: 'one-more.txt', text: 'x' });
    expect(errorCodesOf(answer)).toEqual(['QUOTA_EXCEEDED']);
    expect(await harness.db.file.count({ where: { projectId } })).toBe(4);
    await eventually(async () => (await harness.objectKeys(userId)).length === 4, 'no object of the refused text');
    expect(await storageOf(harness, userId)).toEqual({ used: QUOTA, total: QUOTA, remaining: 0 });
    // Content already stored takes no more space: a copy of a part fits.
    expect(expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'copy.txt', text: '0'.repeat(TEXT_MAX) })).writeFile.size).toBe(TEXT_MAX);
  });

  it('shows text to the owner and admins only, and none for binary or oversized files', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const html = expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'index.html', text: '<p>é</p>\n' })).writeFile;
    const png = await uploadFile(harness, userId, { name: 'logo.png', contentType: 'image/png', projectId }, PNG);
    const big = await uploadFile(harness, userId, { name: 'big.txt', contentType: 'text/plain', projectId }, Buffer.from('y'.repeat(TEXT_MAX + 1)));

    const textOf = async (id: string, identity = as(userId)) => expectNoGraphQLErrors(await harness.files.request(FileTextDocument, { id }, identity)).file?.text;
    expect(await textOf(html.id)).toBe('<p>é</p>\n');
    expect(await textOf(html.id, admin())).toBe('<p>é</p>\n');
    expect(await textOf(html.id, as(newUserId()))).toBeUndefined();
    expect(await textOf(png.id)).toBeNull();
    expect(await textOf(big.id)).toBeNull();

    expect(await fileAt(harness, as(userId), projectId, './index.html')).toMatchObject({ path: 'index.html', contentType: 'text/html' });
    expect(await fileAt(harness, admin(), projectId, 'index.html')).toMatchObject({ path: 'index.html' });
    expect(await fileAt(harness, as(newUserId()), projectId, 'index.html')).toBeNull();
    expect(await fileAt(harness, as(userId), projectId, '../index.html')).toBeNull();
    expect(await fileAt(harness, as(userId), projectId, 'logo.png')).toMatchObject({ contentType: 'image/png', text: null });
  });
});

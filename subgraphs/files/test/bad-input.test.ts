// Everything a client can get wrong, in both storage modes. Each refusal is checked to leave
// nothing behind: no file row, no object in storage, no space held in the quota.
import { expectNoGraphQLErrors } from '@builderai/testkit';
import {
  as,
  completeUpload,
  createUpload,
  eventually,
  INDEX_HTML,
  newProject,
  newUserId,
  PNG,
  putBytes,
  sleep,
  startFiles,
  storageOf,
  STORAGE_MODES,
  uploadFile,
  type FilesHarness,
} from './helpers.js';
import {
  CompleteUploadDocument,
  CreateUploadDocument,
  DeleteFileDocument,
  FileDocument,
  ProjectPreviewUrlDocument,
  type CreateUploadInput,
} from './generated/operations.js';

// Small enough to reach in a test.
const QUOTA = 4096;

const errorOf = (body: { errors?: Array<{ extensions: Record<string, unknown> }> }) => body.errors?.[0]?.extensions;

describe.each(STORAGE_MODES)('bad input (%s storage)', (mode) => {
  let harness: FilesHarness;

  beforeAll(async () => {
    harness = await startFiles(mode, { FILES_QUOTA_BYTES: String(QUOTA), FILES_MAX_FILE_BYTES: String(QUOTA) });
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function expectNothingKept(userId: string): Promise<void> {
    expect(await harness.db.file.count({ where: { userId } })).toBe(0);
    expect(await harness.objectKeys(userId)).toEqual([]);
    expect(await storageOf(harness, userId)).toEqual({ used: 0, total: QUOTA, remaining: QUOTA });
  }

  async function announce(userId: string, input: CreateUploadInput) {
    return (await harness.files.request(CreateUploadDocument, { input }, as(userId))).body;
  }

  describe('file names', () => {
    it.each([
      ['a parent segment', '../x.png'],
      ['a parent segment inside', 'assets/../../x.png'],
      ['an absolute path', '/etc/passwd'],
      ['a drive letter', 'C:/x.png'],
      ['a backslash', '..\\x.png'],
      ['a NUL byte', 'x.png\u0000.html'],
      ['a control character', 'x\u001b.png'],
      ['an empty segment', 'assets//x.png'],
      ['a trailing slash', 'assets/'],
      ['no name at all', '  '],
      ['more than 255 characters', `${'x'.repeat(252)}.png`],
    ])('refuses a name with %s, storing nothing', async (_, name) => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      const body = await announce(userId, { name, size: PNG.length, contentType: 'image/png', projectId });
      expect(errorOf(body)).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
      await expectNothingKept(userId);
    });

    it('cleans harmless spellings of a path', async () => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      const file = await uploadFile(harness, userId, { name: ' ./assets/./logo.png ', contentType: 'image/png', projectId }, PNG);
      expect(file).toMatchObject({ path: 'assets/logo.png', name: 'logo.png' });
    });
  });

  describe('declared type and size', () => {
    it('refuses a type that is not on the allow-list before anything is stored', async () => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      for (const contentType of ['application/x-msdownload', 'application/octet-stream', 'image/tiff', '']) {
        const body = await announce(userId, { name: 'x.bin', size: 10, contentType, projectId });
        expect(errorOf(body)).toEqual({ code: 'BAD_USER_INPUT', field: 'contentType' });
      }
      await expectNothingKept(userId);
    });

    it('refuses a negative size or one over the largest file allowed', async () => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      // A negative count is no ByteCount: refused while the variables are read.
      expect(errorOf(await announce(userId, { name: 'x.png', size: -1, contentType: 'image/png', projectId }))?.code).toBe('BAD_USER_INPUT');
      const body = await announce(userId, { name: 'x.png', size: QUOTA + 1, contentType: 'image/png', projectId });
      expect(errorOf(body)).toEqual({ code: 'BAD_USER_INPUT', field: 'size' });
      await expectNothingKept(userId);
    });
  });

  describe('the bytes', () => {
    // Uploads the bytes under the declared type and expects completeUpload to refuse them.
    async function expectRefused(contentType: string, bytes: Buffer, field: string, declaredSize = bytes.length) {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      const upload = await createUpload(harness, userId, { name: 'upload', size: declaredSize, contentType, projectId });
      expect((await putBytes(upload, bytes)).status).toBe(200);
      expect(await harness.objectKeys(userId)).toEqual([`users/${userId}/uploads/${upload.file.id}`]);

      const { body } = await completeUpload(harness, userId, upload.file.id);
      expect(errorOf(body)).toEqual({ code: 'BAD_USER_INPUT', field });
      await expectNothingKept(userId);
    }

    it('refuses bytes of another type than declared, and removes them', async () => {
      await expectRefused('image/png', INDEX_HTML, 'contentType');
      await expectRefused('text/html', PNG, 'contentType');
      await expectRefused('image/jpeg', PNG, 'contentType');
      await expectRefused('image/svg+xml', Buffer.from('<html><body>not a picture</body></html>'), 'contentType');
    });

    it('refuses bytes of no accepted type, and removes them', async () => {
      const binary = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0xfe, 0x01, 0x02, 0x03]);
      await expectRefused('application/pdf', binary, 'contentType');
      await expectRefused('text/plain', binary, 'contentType');
      // Text with a NUL byte is not text; nor is invalid UTF-8.
      await expectRefused('application/json', Buffer.from('{"a":"\u0000"}'), 'contentType');
      await expectRefused('text/css', Buffer.from([0x68, 0x31, 0xc3, 0x28]), 'contentType');
    });

    it('refuses fewer bytes than declared, and removes them', async () => {
      await expectRefused('text/plain', Buffer.from('short'), 'size', 100);
    });

    it('accepts what it should: SVG, an empty text file, UTF-8 split across chunks', async () => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      const svg = Buffer.from('<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg"/>');
      expect(await uploadFile(harness, userId, { name: 'logo.svg', contentType: 'image/svg+xml', projectId }, svg)).toMatchObject({ status: 'READY' });
      expect(await uploadFile(harness, userId, { name: 'empty.js', contentType: 'text/javascript', projectId }, Buffer.alloc(0))).toMatchObject({ status: 'READY', size: 0 });
      const accents = Buffer.from('é'.repeat(1000));
      expect(await uploadFile(harness, userId, { name: 'notes.md', contentType: 'Text/Markdown; charset=UTF-8', projectId }, accents)).toMatchObject({
        status: 'READY',
        contentType: 'text/markdown',
      });
    });

    it('says so, and keeps the upload, when completeUpload comes before the bytes', async () => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      const upload = await createUpload(harness, userId, { name: 'early.png', size: PNG.length, contentType: 'image/png', projectId });
      expect(errorOf((await completeUpload(harness, userId, upload.file.id)).body)).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });

      await putBytes(upload, PNG);
      expect(expectNoGraphQLErrors(await completeUpload(harness, userId, upload.file.id)).completeUpload.status).toBe('READY');
    });
  });

  describe('more bytes than declared', () => {
    it('never lets them become a file', async () => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      const upload = await createUpload(harness, userId, { name: 'big.txt', size: 10, contentType: 'text/plain', projectId });
      const sent = await putBytes(upload, Buffer.from('x'.repeat(50)));
      if (mode === 'local-disk') {
        // Refused up front, as S3 refuses a length other than the signed one; the URL stays usable.
        expect(sent.status).toBe(413);
        expect(await harness.objectKeys(userId)).toEqual([]);
        expect((await putBytes(upload, Buffer.from('x'.repeat(10)))).status).toBe(200);
        expect(expectNoGraphQLErrors(await completeUpload(harness, userId, upload.file.id)).completeUpload.status).toBe('READY');
        return;
      }
      // s3rver does not check signatures, so the bytes land; completeUpload refuses them.
      expect(errorOf((await completeUpload(harness, userId, upload.file.id)).body)).toEqual({ code: 'BAD_USER_INPUT', field: 'size' });
      await expectNothingKept(userId);
    });

    if (mode === 'local-disk') {
      it('cuts off a body without a length at the declared size, and discards the upload', async () => {
        const userId = newUserId();
        const projectId = newProject(harness, userId);
        const upload = await createUpload(harness, userId, { name: 'stream.txt', size: 10, contentType: 'text/plain', projectId });
        const body = new ReadableStream({
          start(controller) {
            for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode('0123456789'));
            controller.close();
          },
        });
        const sent = await fetch(upload.uploadUrl, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body, duplex: 'half' } as RequestInit);
        expect(sent.status).toBe(413);
        await expectNothingKept(userId);
      });
    }
  });

  describe('quota', () => {
    it('refuses an upload that would pass the quota with QUOTA_EXCEEDED, before any byte is stored', async () => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      await uploadFile(harness, userId, { name: 'a.txt', contentType: 'text/plain', projectId }, Buffer.from('a'.repeat(3000)));

      const body = await announce(userId, { name: 'b.txt', size: 2000, contentType: 'text/plain', projectId });
      expect(errorOf(body)).toEqual({ code: 'QUOTA_EXCEEDED' });
      expect(await harness.db.file.count({ where: { userId } })).toBe(1);
      expect(await harness.objectKeys(userId)).toHaveLength(1);
      expect(await storageOf(harness, userId)).toEqual({ used: 3000, total: QUOTA, remaining: QUOTA - 3000 });
    });

    it('counts uploads in progress, so two cannot pass the quota together', async () => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      const bodies = await Promise.all([1, 2].map((n) => announce(userId, { name: `${n}.txt`, size: 3000, contentType: 'text/plain', projectId })));
      expect(bodies.map((body) => errorOf(body)?.code ?? 'OK').sort()).toEqual(['OK', 'QUOTA_EXCEEDED']);
      expect(await storageOf(harness, userId)).toEqual({ used: 0, total: QUOTA, remaining: QUOTA - 3000 });
    });

    it('returns the space of a deleted file', async () => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      const file = await uploadFile(harness, userId, { name: 'a.txt', contentType: 'text/plain', projectId }, Buffer.from('a'.repeat(3000)));
      await harness.files.request(DeleteFileDocument, { id: file.id }, as(userId));
      await uploadFile(harness, userId, { name: 'b.txt', contentType: 'text/plain', projectId }, Buffer.from('b'.repeat(3000)));
      expect((await storageOf(harness, userId)).used).toBe(3000);
    });
  });

  describe('upload URLs', () => {
    it('refuses a reused upload URL, and never lets it change a completed file', async () => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      const upload = await createUpload(harness, userId, { name: 'once.png', size: PNG.length, contentType: 'image/png', projectId });
      expect((await putBytes(upload, PNG)).status).toBe(200);
      const forged = Buffer.from(PNG);
      forged[forged.length - 1] ^= 0xff;

      if (mode === 'local-disk') expect((await putBytes(upload, forged)).status).toBe(409);
      const file = expectNoGraphQLErrors(await completeUpload(harness, userId, upload.file.id)).completeUpload;
      if (mode === 'local-disk') expect((await putBytes(upload, forged)).status).toBe(409);
      // A presigned S3 URL can be replayed until it expires (s3rver has no conditional writes):
      // the bytes land where uploads land, never in the verified file, and go when the URL dies.
      if (mode === 's3') expect((await putBytes(upload, forged)).status).toBe(200);

      expect(Buffer.from(await (await fetch(file.downloadUrl!)).arrayBuffer())).toEqual(PNG);
      expect(await harness.db.objectDeletion.count({ where: { key: `users/${userId}/uploads/${upload.file.id}` } })).toBe(1);
    });
  });

  describe("other users' files and projects", () => {
    it('answers NOT_FOUND for a project that is not the user’s, or does not exist', async () => {
      const owner = newUserId();
      const intruder = newUserId();
      const projectId = newProject(harness, owner);
      for (const id of [projectId, '6f1c1b0e-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const body = await announce(intruder, { name: 'x.png', size: PNG.length, contentType: 'image/png', projectId: id });
        expect(errorOf(body)).toEqual({ code: 'NOT_FOUND' });
      }
      await expectNothingKept(intruder);
      // The platform was asked as the intruder.
      expect(harness.router.calls.at(-1)).toMatchObject({ userId: intruder, actingService: 'files' });
    });

    it("answers NOT_FOUND for completing or deleting another user's file, and leaves it as it is", async () => {
      const owner = newUserId();
      const projectId = newProject(harness, owner);
      const file = await uploadFile(harness, owner, { name: 'private.png', contentType: 'image/png', projectId }, PNG);
      const pending = await createUpload(harness, owner, { name: 'pending.png', size: PNG.length, contentType: 'image/png', projectId });
      const intruder = as(newUserId());

      for (const id of [file.id, pending.file.id]) {
        expect(errorOf((await harness.files.request(CompleteUploadDocument, { id }, intruder)).body)).toEqual({ code: 'NOT_FOUND' });
        expect(errorOf((await harness.files.request(DeleteFileDocument, { id }, intruder)).body)).toEqual({ code: 'NOT_FOUND' });
        expect(expectNoGraphQLErrors(await harness.files.request(FileDocument, { id }, intruder)).file).toBeNull();
      }
      expect(await harness.db.file.count({ where: { userId: owner } })).toBe(2);
      expect((await fetch(file.downloadUrl!)).status).toBe(200);
    });

    it('requires a signed-in user', async () => {
      const body = (await harness.files.request(CreateUploadDocument, { input: { name: 'x.png', size: 1, contentType: 'image/png', projectId: newUserId() } })).body;
      expect(errorOf(body)).toEqual({ code: 'UNAUTHENTICATED' });
    });
  });
});

describe.each(STORAGE_MODES)('expired URLs (%s storage)', (mode) => {
  let harness: FilesHarness;
  // Long enough to upload and complete in, under load; short enough to wait out.
  const TTL_SECONDS = 2;

  beforeAll(async () => {
    harness = await startFiles(mode, {
      FILES_UPLOAD_TTL_SECONDS: String(TTL_SECONDS),
      FILES_DOWNLOAD_TTL_SECONDS: String(TTL_SECONDS),
      FILES_PREVIEW_TTL_SECONDS: String(TTL_SECONDS),
      FILES_SWEEP_INTERVAL_SECONDS: '0.2',
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const nothingLeft = async (userId: string) =>
    (await harness.db.file.count({ where: { userId } })) === 0 &&
    (await harness.objectKeys(userId)).length === 0 &&
    (await storageOf(harness, userId)).remaining === (await storageOf(harness, userId)).total;

  it('refuses an expired upload URL, then sweeps the upload and its reservation away', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const upload = await createUpload(harness, userId, { name: 'late.png', size: PNG.length, contentType: 'image/png', projectId });
    await sleep(TTL_SECONDS * 1000 + 200);

    expect((await putBytes(upload, PNG)).status).toBe(403);
    await eventually(() => nothingLeft(userId), 'the expired upload to be swept');
    expect(errorOf((await completeUpload(harness, userId, upload.file.id)).body)).toEqual({ code: 'NOT_FOUND' });
  });

  it('removes the bytes of an upload that was sent but never completed', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const upload = await createUpload(harness, userId, { name: 'abandoned.png', size: PNG.length, contentType: 'image/png', projectId });
    expect((await putBytes(upload, PNG)).status).toBe(200);
    expect(await harness.objectKeys(userId)).toHaveLength(1);
    await eventually(() => nothingLeft(userId), 'the abandoned upload and its bytes to be swept');
  });

  it('removes whatever a replayed upload URL wrote once the URL has expired', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const upload = await createUpload(harness, userId, { name: 'quick.png', size: PNG.length, contentType: 'image/png', projectId });
    await putBytes(upload, PNG);
    const file = expectNoGraphQLErrors(await completeUpload(harness, userId, upload.file.id)).completeUpload;
    // Lands with S3 (see 'refuses a reused upload URL'); refused by the local endpoint.
    expect((await putBytes(upload, PNG)).status).toBe(mode === 's3' ? 200 : 409);
    await eventually(
      async () => JSON.stringify(await harness.objectKeys(userId)) === JSON.stringify([`users/${userId}/files/${file.id}`]) && (await harness.db.objectDeletion.count({ where: { key: { contains: file.id } } })) === 0,
      'only the verified file to be left',
    );
  });

  it('refuses an expired download or preview URL with 403', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const file = await uploadFile(harness, userId, { name: 'index.html', contentType: 'text/html', projectId }, INDEX_HTML);
    const [project] = expectNoGraphQLErrors(
      await harness.files.request(ProjectPreviewUrlDocument, { representations: [{ __typename: 'Project', id: projectId }] }, as(userId)),
    )._entities;
    const { file: answered } = expectNoGraphQLErrors(await harness.files.request(FileDocument, { id: file.id }, as(userId)));
    await sleep(TTL_SECONDS * 1000 + 200);
    expect((await fetch(answered!.downloadUrl!)).status).toBe(403);
    expect((await fetch(project!.previewUrl!)).status).toBe(403);
  });
});

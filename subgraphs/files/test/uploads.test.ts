// Uploads end to end, in both storage modes: announce, PUT the bytes to the returned URL,
// complete, download; replacing a path; deleting. Quotas and events follow each step.
import { createHash } from 'node:crypto';
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
  startFiles,
  storageOf,
  STORAGE_MODES,
  uploadFile,
  type FilesHarness,
} from './helpers.js';
import { CreateUploadDocument, DeleteFileDocument, FileDocument } from './generated/operations.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(STORAGE_MODES)('uploads (%s storage)', (mode) => {
  let harness: FilesHarness;

  beforeAll(async () => {
    harness = await startFiles(mode);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('announces an upload, takes the bytes at the upload URL and completes it with its checksum', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);

    const upload = await createUpload(harness, userId, { name: './assets/logo.png', size: PNG.length, contentType: 'image/png', projectId });
    expect(upload).toMatchObject({
      method: 'PUT',
      headers: [{ name: 'content-type', value: 'image/png' }],
      file: { name: 'logo.png', path: 'assets/logo.png', size: PNG.length, contentType: 'image/png', status: 'PENDING', checksum: null, downloadUrl: null, project: { id: projectId } },
    });
    expect(new Date(upload.expiresAt).getTime()).toBeGreaterThan(Date.now());
    // The space is held from the start.
    expect(await storageOf(harness, userId)).toEqual({ used: 0, total: 100 * 1024 * 1024, remaining: 100 * 1024 * 1024 - PNG.length });
    // The project was checked with the platform, as the user, by the files service.
    expect(harness.router.calls.at(-1)).toMatchObject({ userId, actingService: 'files' });

    const sent = await putBytes(upload, PNG);
    expect(sent.status).toBe(200);

    const { completeUpload: completed } = expectNoGraphQLErrors(await completeUpload(harness, userId, upload.file.id));
    expect(completed).toMatchObject({ id: upload.file.id, status: 'READY', checksum: sha256(PNG), downloadUrl: expect.any(String) });
    expect(await storageOf(harness, userId)).toEqual({ used: PNG.length, total: 100 * 1024 * 1024, remaining: 100 * 1024 * 1024 - PNG.length });
    expect(await harness.db.fileMetadata.findUnique({ where: { fileId: upload.file.id } })).toMatchObject({
      checksum: sha256(PNG),
      storageLocation: `users/${userId}/files/${upload.file.id}`,
    });
    // Only the verified copy is left in storage.
    expect(await harness.objectKeys(userId)).toEqual([`users/${userId}/files/${upload.file.id}`]);

    const published = await eventually(
      () => harness.db.outboxEvent.findFirst({ where: { type: 'files.file.uploaded', payload: { path: ['fileId'], equals: upload.file.id }, publishedAt: { not: null } } }),
      'the published files.file.uploaded event',
    );
    expect(published.payload).toEqual({ fileId: upload.file.id, projectId, userId, name: 'logo.png', path: 'assets/logo.png', contentType: 'image/png', size: PNG.length });
  });

  it('serves the download URL with the content type, an attachment disposition and nosniff', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const file = await uploadFile(harness, userId, { name: 'docs/résumé "final".png', contentType: 'image/png', projectId }, PNG);

    const response = await fetch(file.downloadUrl!);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-length')).toBe(String(PNG.length));
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="r_sum_ _final_.png"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.png`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a download URL whose token was tampered with, and one for a deleted file', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const file = await uploadFile(harness, userId, { name: 'a.png', contentType: 'image/png', projectId }, PNG);

    const tampered = file.downloadUrl!.replace(/token=(.)/, (_: string, first: string) => `token=${first === 'a' ? 'b' : 'a'}`);
    expect((await fetch(tampered)).status).toBe(403);

    await harness.files.request(DeleteFileDocument, { id: file.id }, as(userId));
    expect((await fetch(file.downloadUrl!)).status).toBe(404);
  });

  it('replaces the file at a path when a new upload to it completes, and returns the old space', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const first = await uploadFile(harness, userId, { name: 'index.html', contentType: 'text/html', projectId }, Buffer.from('<p>one</p>'));
    const second = await uploadFile(harness, userId, { name: 'index.html', contentType: 'text/html', projectId }, INDEX_HTML);

    expect(await harness.db.file.findMany({ where: { projectId }, select: { id: true, status: true } })).toEqual([{ id: second.id, status: 'READY' }]);
    expect((await storageOf(harness, userId)).used).toBe(INDEX_HTML.length);
    expect(await harness.objectKeys(userId)).toEqual([`users/${userId}/files/${second.id}`]);
    await eventually(
      () => harness.db.outboxEvent.findFirst({ where: { type: 'files.file.deleted', payload: { path: ['fileId'], equals: first.id } } }),
      'files.file.deleted for the replaced file',
    );
  });

  it('answers completeUpload of a READY file with the file, unchanged', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const file = await uploadFile(harness, userId, { name: 'again.png', contentType: 'image/png', projectId }, PNG);
    const again = expectNoGraphQLErrors(await completeUpload(harness, userId, file.id));
    expect(again.completeUpload).toMatchObject({ id: file.id, status: 'READY', checksum: file.checksum });
    expect((await storageOf(harness, userId)).used).toBe(PNG.length);
  });

  it('completes an upload once when two completeUpload calls race', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const upload = await createUpload(harness, userId, { name: 'race.png', size: PNG.length, contentType: 'image/png', projectId });
    await putBytes(upload, PNG);

    const answers = await Promise.all([1, 2].map(() => completeUpload(harness, userId, upload.file.id)));
    for (const answer of answers) expect(expectNoGraphQLErrors(answer).completeUpload).toMatchObject({ id: upload.file.id, status: 'READY', checksum: sha256(PNG) });
    expect((await storageOf(harness, userId)).used).toBe(PNG.length);
    expect(await harness.db.outboxEvent.count({ where: { type: 'files.file.uploaded', payload: { path: ['fileId'], equals: upload.file.id } } })).toBe(1);
    expect(await harness.objectKeys(userId)).toEqual([`users/${userId}/files/${upload.file.id}`]);
  });

  it('completes an upload whose checking call died, once its lease has lapsed, and meanwhile makes others wait', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const upload = await createUpload(harness, userId, { name: 'held.png', size: PNG.length, contentType: 'image/png', projectId });
    await putBytes(upload, PNG);
    // A call that claimed the check and died: its lease holds the upload for a while.
    await harness.db.file.update({ where: { id: upload.file.id }, data: { completingUntil: new Date(Date.now() + 400) } });

    const started = Date.now();
    const { completeUpload: completed } = expectNoGraphQLErrors(await completeUpload(harness, userId, upload.file.id));
    expect(completed).toMatchObject({ id: upload.file.id, status: 'READY', checksum: sha256(PNG) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect((await storageOf(harness, userId)).used).toBe(PNG.length);
  });

  it('deletes a file: row, object and space, and publishes files.file.deleted', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const file = await uploadFile(harness, userId, { name: 'gone.png', contentType: 'image/png', projectId }, PNG);

    const { body } = await harness.files.request(DeleteFileDocument, { id: file.id }, as(userId));
    expect(body).toEqual({ data: { deleteFile: true } });
    expect(await harness.db.file.count({ where: { id: file.id } })).toBe(0);
    expect(await harness.db.fileMetadata.count({ where: { fileId: file.id } })).toBe(0);
    expect(await harness.objectKeys(userId)).toEqual([]);
    expect((await storageOf(harness, userId)).used).toBe(0);
    expect(expectNoGraphQLErrors(await harness.files.request(FileDocument, { id: file.id }, as(userId))).file).toBeNull();

    const published = await eventually(
      () => harness.db.outboxEvent.findFirst({ where: { type: 'files.file.deleted', payload: { path: ['fileId'], equals: file.id }, publishedAt: { not: null } } }),
      'the published files.file.deleted event',
    );
    expect(published.payload).toEqual({ fileId: file.id, projectId, userId, size: PNG.length });
  });

  it('cancels an upload in progress with deleteFile, releasing its reservation', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const upload = await createUpload(harness, userId, { name: 'half.png', size: PNG.length, contentType: 'image/png', projectId });
    await putBytes(upload, PNG);

    expect(expectNoGraphQLErrors(await harness.files.request(DeleteFileDocument, { id: upload.file.id }, as(userId))).deleteFile).toBe(true);
    expect(await harness.db.file.count({ where: { id: upload.file.id } })).toBe(0);
    expect(await harness.objectKeys(userId)).toEqual([]);
    expect((await storageOf(harness, userId)).remaining).toBe(100 * 1024 * 1024);
  });

  it('lets a new upload to a path replace an unfinished one', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const abandoned = await createUpload(harness, userId, { name: 'retry.png', size: PNG.length, contentType: 'image/png', projectId });
    const file = await uploadFile(harness, userId, { name: 'retry.png', contentType: 'image/png', projectId }, PNG);

    expect(await harness.db.file.count({ where: { id: abandoned.file.id } })).toBe(0);
    expect(file.status).toBe('READY');
    expect(await storageOf(harness, userId)).toMatchObject({ used: PNG.length, remaining: 100 * 1024 * 1024 - PNG.length });
  });

  it('shows a file to its owner and an admin only', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const file = await uploadFile(harness, userId, { name: 'mine.png', contentType: 'image/png', projectId }, PNG);

    expect(expectNoGraphQLErrors(await harness.files.request(FileDocument, { id: file.id }, as(userId))).file).toMatchObject({ id: file.id });
    expect(expectNoGraphQLErrors(await harness.files.request(FileDocument, { id: file.id }, as(newUserId(), ['ADMIN']))).file).toMatchObject({ id: file.id });
    expect(expectNoGraphQLErrors(await harness.files.request(FileDocument, { id: file.id }, as(newUserId()))).file).toBeNull();
    expect(expectNoGraphQLErrors(await harness.files.request(FileDocument, { id: file.id })).file).toBeNull();
  });
});

describe('byte counts past 2 GiB', () => {
  const GB = 1000 ** 3;
  let harness: FilesHarness;

  beforeAll(async () => {
    harness = await startFiles('local-disk', { FILES_MAX_FILE_BYTES: String(5 * GB), FILES_QUOTA_BYTES: String(10 * GB) });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('a 3 GB upload is described, reserved and counted exactly', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const upload = await createUpload(harness, userId, { name: 'dataset.pdf', contentType: 'application/pdf', projectId, size: 3 * GB });
    expect(upload.file.size).toBe(3 * GB);
    expect(await storageOf(harness, userId)).toEqual({ used: 0, total: 10 * GB, remaining: 7 * GB });
    const stored = await harness.db.file.findUniqueOrThrow({ where: { id: upload.file.id } });
    expect(stored.size).toBe(3n * BigInt(GB));
  });

  it('a size past what a JSON number holds exactly is refused as bad input', async () => {
    const userId = newUserId();
    const answer = await harness.files.request(
      CreateUploadDocument,
      { input: { name: 'huge.pdf', contentType: 'application/pdf', projectId: newProject(harness, userId), size: 2 ** 53 } },
      as(userId),
    );
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await storageOf(harness, userId)).toMatchObject({ used: 0, remaining: 10 * GB });
  });
});

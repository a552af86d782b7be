// Content stored once per user: the same bytes in several files, checkpoints or uploads are one
// object and count once in the quota; content nothing holds any more is collected at once
// (space back, object gone), content a checkpoint holds stays; and content being reused is
// never collected under a writer's feet.
import { randomUUID } from 'node:crypto';
import { expectNoGraphQLErrors } from '@builderai/testkit';
import {
  as,
  committedTurn,
  eventually,
  fileAt,
  newProject,
  newUserId,
  projectDeleted,
  sha256Of,
  startFiles,
  storageOf,
  uploadFile,
  writeFile,
  type FilesHarness,
} from './helpers.js';
import { DeleteFileDocument } from './generated/operations.js';

const TEXT = 'The same words, wherever they are.\n';
const OTHER = 'Other words.\n';
const size = (text: string) => Buffer.byteLength(text);

describe('content stored once per user', () => {
  let harness: FilesHarness;

  beforeAll(async () => {
    harness = await startFiles('local-disk', { FILES_SWEEP_INTERVAL_SECONDS: '0.2' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const deleteFile = async (userId: string, projectId: string, path: string) => {
    const file = await harness.db.file.findFirstOrThrow({ where: { projectId, path, status: 'READY' } });
    expectNoGraphQLErrors(await harness.files.request(DeleteFileDocument, { id: file.id }, as(userId)));
  };

  it('stores and charges the same content once, in two files and in two checkpoints', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    await committedTurn(harness, userId, projectId, [
      { path: 'a.txt', text: TEXT },
      { path: 'copy/a.txt', text: TEXT },
    ]);
    await committedTurn(harness, userId, projectId, [{ path: 'b.txt', text: TEXT }, { path: 'c.txt', text: OTHER }]);
    // In another project of the same user, too.
    await committedTurn(harness, userId, newProject(harness, userId), [{ path: 'elsewhere.txt', text: TEXT }]);

    expect(await storageOf(harness, userId)).toMatchObject({ used: size(TEXT) + size(OTHER) });
    expect(await harness.objectKeys(userId)).toHaveLength(2);
    const blobs = await harness.db.file.findMany({ where: { userId, metadata: { checksum: sha256Of(TEXT) } }, include: { metadata: true } });
    expect(blobs).toHaveLength(4);
    expect(new Set(blobs.map((file) => file.metadata!.storageLocation)).size).toBe(1);
  });

  it('keeps no second copy of an upload whose bytes the user stores already, and gives its reservation back', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    await committedTurn(harness, userId, projectId, [{ path: 'a.txt', text: TEXT }]);

    const uploaded = await uploadFile(harness, userId, { name: 'b.txt', contentType: 'text/plain', projectId }, Buffer.from(TEXT));
    expect(uploaded.checksum).toBe(sha256Of(TEXT));
    expect(await harness.objectKeys(userId)).toHaveLength(1);
    expect(await storageOf(harness, userId)).toMatchObject({ used: size(TEXT), remaining: 100 * 1024 * 1024 - size(TEXT) });
    expect(await (await fetch(uploaded.downloadUrl!)).text()).toBe(TEXT);
    // It counted as the user's change, like any upload.
    expect(await harness.db.userFileChange.findMany({ where: { projectId }, select: { path: true, action: true } })).toEqual([{ path: 'b.txt', action: 'ADDED' }]);
  });

  it("gives a deleted file's space back at once when no checkpoint holds it, and not while one does", async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    await committedTurn(harness, userId, projectId, [{ path: 'kept.txt', text: TEXT }]);
    expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'draft.txt', text: OTHER }));

    // Saved by the user after the last checkpoint: nothing else holds it.
    await deleteFile(userId, projectId, 'draft.txt');
    expect(await storageOf(harness, userId)).toMatchObject({ used: size(TEXT) });
    expect(await harness.objectKeys(userId)).toHaveLength(1);

    // The checkpoint can still bring it back, so it stays stored and counted.
    await deleteFile(userId, projectId, 'kept.txt');
    expect(await storageOf(harness, userId)).toMatchObject({ used: size(TEXT) });
    expect(await harness.objectKeys(userId)).toHaveLength(1);
    expect(await fileAt(harness, as(userId), projectId, 'kept.txt')).toBeNull();

    // With the project, its checkpoints go, and then the content nothing holds.
    await harness.files.infra.bus.publish(projectDeleted(projectId, userId));
    await eventually(async () => (await storageOf(harness, userId)).used === 0, 'the space to come back');
    expect(await harness.objectKeys(userId)).toEqual([]);
    expect(await harness.db.checkpoint.count({ where: { projectId } })).toBe(0);
    expect(await harness.db.userFileChange.count({ where: { projectId } })).toBe(0);
    expect(await harness.db.blob.count({ where: { userId } })).toBe(0);
  });

  it('stores content collected and needed again under a new key', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'a.txt', text: TEXT }));
    const [first] = await harness.objectKeys(userId);
    await deleteFile(userId, projectId, 'a.txt');
    expect(await harness.objectKeys(userId)).toEqual([]);

    expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'a.txt', text: TEXT }));
    const [second] = await harness.objectKeys(userId);
    expect(second).not.toBe(first);
    expect((await fileAt(harness, as(userId), projectId, 'a.txt'))!.text).toBe(TEXT);
  });

  it('never collects content a writer is reusing at the same moment', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    for (let round = 0; round < 8; round++) {
      const text = `round ${round}: ${randomUUID()}\n`;
      expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'old.txt', text }));
      // Deleting the only file with these bytes collects them, while a save of the same bytes reuses them.
      await Promise.all([deleteFile(userId, projectId, 'old.txt'), writeFile(harness, userId, { projectId, path: `new-${round}.txt`, text })]);
      const saved = (await fileAt(harness, as(userId), projectId, `new-${round}.txt`))!;
      const file = await harness.db.file.findFirstOrThrow({ where: { projectId, path: `new-${round}.txt` }, include: { metadata: true } });
      expect(saved.text).toBe(text);
      expect(await harness.objectKeys(userId)).toContain(file.metadata!.storageLocation);
    }
    const stored = await harness.db.blob.findMany({ where: { userId } });
    expect(stored).toHaveLength(8);
    expect((await storageOf(harness, userId)).used).toBe(stored.reduce((sum, blob) => sum + Number(blob.size), 0));
  });

  it('collects, in the sweep, content left unreferenced by a collection that never ran', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'a.txt', text: TEXT }));
    // As if the service stopped right after the row went: the blob is left, an hour old.
    await harness.db.file.deleteMany({ where: { projectId } });
    await harness.db.blob.updateMany({ where: { userId }, data: { createdAt: new Date(Date.now() - 2 * 60 * 60 * 1000) } });

    await eventually(async () => (await harness.db.blob.count({ where: { userId } })) === 0, 'the sweep to collect the blob');
    expect(await storageOf(harness, userId)).toMatchObject({ used: 0 });
    await eventually(async () => (await harness.objectKeys(userId)).length === 0, 'its object to go');
  });
});

// The projects service's events, delivered over the real RabbitMQ bus, in both storage modes:
// a deleted project takes its files with it; a duplicated one gets its files (sharing the
// owner's stored content, or copies of another user's). Each is applied once however often
// the broker delivers it.
import { createHash } from 'node:crypto';
import { expectNoGraphQLErrors } from '@builderai/testkit';
import {
  APP_JS,
  as,
  createUpload,
  eventually,
  INDEX_HTML,
  newProject,
  newUserId,
  PNG,
  projectDeleted,
  projectDuplicated,
  sleep,
  startFiles,
  storageOf,
  STORAGE_MODES,
  uploadFile,
  type FilesHarness,
} from './helpers.js';
import { FileDocument } from './generated/operations.js';

const QUOTA = 4096;

describe.each(STORAGE_MODES)('projects events (%s storage)', (mode) => {
  let harness: FilesHarness;

  beforeAll(async () => {
    harness = await startFiles(mode, { FILES_QUOTA_BYTES: String(QUOTA) }, { broker: true });
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function projectWithFiles(userId: string): Promise<{ projectId: string; fileIds: string[] }> {
    const projectId = newProject(harness, userId);
    const files = [
      await uploadFile(harness, userId, { name: 'index.html', contentType: 'text/html', projectId }, INDEX_HTML),
      await uploadFile(harness, userId, { name: 'assets/app.js', contentType: 'text/javascript', projectId }, APP_JS),
      await uploadFile(harness, userId, { name: 'assets/logo.png', contentType: 'image/png', projectId }, PNG),
    ];
    return { projectId, fileIds: files.map((file) => file.id) };
  }

  describe('projects.project.deleted', () => {
    it("deletes the project's files: rows, objects, uploads in progress and their space", async () => {
      const userId = newUserId();
      const { projectId, fileIds } = await projectWithFiles(userId);
      await createUpload(harness, userId, { name: 'pending.png', size: PNG.length, contentType: 'image/png', projectId });
      const other = await projectWithFiles(userId);

      await harness.files.infra.bus.publish(projectDeleted(projectId, userId));
      await eventually(async () => (await harness.db.file.count({ where: { projectId } })) === 0, "the project's files to go");

      // The other project holds the same bytes, so their blobs stay (stored once, under the
      // keys of the files that stored them first) and so does their space; the upload's objects go.
      const otherFiles = await harness.db.file.findMany({ where: { id: { in: other.fileIds } }, include: { metadata: true } });
      const otherKeys = otherFiles.map((file) => file.metadata!.storageLocation).sort();
      await eventually(async () => JSON.stringify(await harness.objectKeys(userId)) === JSON.stringify(otherKeys), "the project's objects to go");
      const kept = INDEX_HTML.length + APP_JS.length + PNG.length;
      expect(await storageOf(harness, userId)).toEqual({ used: kept, total: QUOTA, remaining: QUOTA - kept });
      // One files.file.deleted per READY file, for whoever follows files.
      const deleted = await harness.db.outboxEvent.findMany({ where: { type: 'files.file.deleted', payload: { path: ['projectId'], equals: projectId } } });
      expect(deleted.map((event) => (event.payload as { fileId: string }).fileId).sort()).toEqual([...fileIds].sort());
    });

    it('applies a deletion delivered twice once', async () => {
      const userId = newUserId();
      const { projectId } = await projectWithFiles(userId);
      const event = projectDeleted(projectId, userId);
      await harness.files.infra.bus.publish(event);
      await harness.files.infra.bus.publish(event);

      await eventually(async () => (await harness.db.file.count({ where: { projectId } })) === 0, "the project's files to go");
      await sleep(500);
      expect(await harness.db.processedEvent.count({ where: { eventId: event.id } })).toBe(1);
      expect(await harness.db.outboxEvent.count({ where: { type: 'files.file.deleted', payload: { path: ['projectId'], equals: projectId } } })).toBe(3);
    });
  });

  describe('projects.project.duplicated', () => {
    it("fills the new project with the source's READY files, sharing the owner's stored content: no copy, no charge", async () => {
      const userId = newUserId();
      const source = await projectWithFiles(userId);
      const copyId = newProject(harness, userId);
      await harness.files.infra.bus.publish(projectDuplicated(copyId, source.projectId, userId));

      const copies = await eventually(async () => {
        const files = await harness.db.file.findMany({ where: { projectId: copyId }, include: { metadata: true }, orderBy: { path: 'asc' } });
        return files.length === 3 ? files : null;
      }, 'the copies');
      const originals = await harness.db.file.findMany({ where: { projectId: source.projectId }, include: { metadata: true }, orderBy: { path: 'asc' } });
      const described = (files: typeof copies) =>
        files.map(({ path, name, size, type, status, userId: owner, blobId, metadata }) => ({ path, name, size, type, status, owner, blobId, checksum: metadata?.checksum, key: metadata?.storageLocation }));
      expect(described(copies)).toEqual(described(originals));
      expect(copies.every((copy) => !source.fileIds.includes(copy.id))).toBe(true);

      // The copies serve the same bytes from the same objects, and take no more space.
      expect(await harness.objectKeys(userId)).toHaveLength(3);
      const copyOfLogo = copies.find((copy) => copy.path === 'assets/logo.png')!;
      const { file: copyOfLogoFile } = expectNoGraphQLErrors(await harness.files.request(FileDocument, { id: copyOfLogo.id }, as(userId)));
      const bytes = Buffer.from(await (await fetch(copyOfLogoFile!.downloadUrl!)).arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(copyOfLogo.metadata?.checksum);
      const size = INDEX_HTML.length + APP_JS.length + PNG.length;
      expect((await storageOf(harness, userId)).used).toBe(size);

      const uploaded = await eventually(async () => {
        const events = await harness.db.outboxEvent.findMany({ where: { type: 'files.file.uploaded', payload: { path: ['projectId'], equals: copyId }, publishedAt: { not: null } } });
        return events.length === 3 ? events : null;
      }, 'files.file.uploaded for each copy');
      expect(uploaded.map((event) => (event.payload as { path: string }).path).sort()).toEqual(['assets/app.js', 'assets/logo.png', 'index.html']);

      // Deleting the source leaves the duplicate whole.
      await harness.files.infra.bus.publish(projectDeleted(source.projectId, userId));
      await eventually(async () => (await harness.db.file.count({ where: { projectId: source.projectId } })) === 0, "the source's files to go");
      expect(await harness.objectKeys(userId)).toHaveLength(3);
      expect(Buffer.from(await (await fetch(copyOfLogoFile!.downloadUrl!)).arrayBuffer())).toEqual(PNG);
      expect((await storageOf(harness, userId)).used).toBe(size);
    });

    it("copies another user's files into objects of the new owner, charged to them", async () => {
      const sourceOwner = newUserId();
      const source = await projectWithFiles(sourceOwner);
      const userId = newUserId();
      const copyId = newProject(harness, userId);
      await harness.files.infra.bus.publish(projectDuplicated(copyId, source.projectId, userId));

      const copies = await eventually(async () => {
        const files = await harness.db.file.findMany({ where: { projectId: copyId }, include: { metadata: true }, orderBy: { path: 'asc' } });
        return files.length === 3 ? files : null;
      }, 'the copies');
      expect(copies.every((copy) => copy.userId === userId && copy.metadata!.storageLocation.startsWith(`users/${userId}/blobs/`))).toBe(true);
      expect((await harness.objectKeys(userId)).sort()).toEqual(copies.map((copy) => copy.metadata!.storageLocation).sort());
      const copyOfLogo = copies.find((copy) => copy.path === 'assets/logo.png')!;
      const { file: copyOfLogoFile } = expectNoGraphQLErrors(await harness.files.request(FileDocument, { id: copyOfLogo.id }, as(userId)));
      expect(Buffer.from(await (await fetch(copyOfLogoFile!.downloadUrl!)).arrayBuffer())).toEqual(PNG);
      const size = INDEX_HTML.length + APP_JS.length + PNG.length;
      expect((await storageOf(harness, userId)).used).toBe(size);
      expect((await storageOf(harness, sourceOwner)).used).toBe(size);
    });

    it('skips the files that do not fit the quota, leaving no stray copies', async () => {
      const sourceOwner = newUserId();
      const projectId = newProject(harness, sourceOwner);
      await uploadFile(harness, sourceOwner, { name: 'a.txt', contentType: 'text/plain', projectId }, Buffer.from('a'.repeat(1000)));
      await uploadFile(harness, sourceOwner, { name: 'b.txt', contentType: 'text/plain', projectId }, Buffer.from('b'.repeat(2000)));
      const userId = newUserId();
      await uploadFile(harness, userId, { name: 'c.txt', contentType: 'text/plain', projectId: newProject(harness, userId) }, Buffer.from('c'.repeat(3000)));
      const copyId = newProject(harness, userId);

      const event = projectDuplicated(copyId, projectId, userId);
      await harness.files.infra.bus.publish(event);
      await eventually(() => harness.db.processedEvent.findFirst({ where: { eventId: event.id } }), 'the duplication to be handled');

      // 3000 of 4096 bytes are used: the 1000-byte copy fits, the 2000-byte one does not.
      expect(await harness.db.file.findMany({ where: { projectId: copyId }, select: { path: true } })).toEqual([{ path: 'a.txt' }]);
      expect((await storageOf(harness, userId)).used).toBe(4000);
      await eventually(async () => (await harness.objectKeys(userId)).length === 2, 'no stray copies');
    });

    it('applies a duplication delivered twice once', async () => {
      const sourceOwner = newUserId();
      const source = await projectWithFiles(sourceOwner);
      const userId = newUserId();
      const copyId = newProject(harness, userId);
      const event = projectDuplicated(copyId, source.projectId, userId);
      await harness.files.infra.bus.publish(event);
      await harness.files.infra.bus.publish(event);

      await eventually(() => harness.db.processedEvent.findFirst({ where: { eventId: event.id } }), 'the duplication to be handled');
      await sleep(750);
      expect(await harness.db.file.count({ where: { projectId: copyId } })).toBe(3);
      // One set of copies, nothing from the second delivery.
      await eventually(async () => (await harness.objectKeys(userId)).length === 3, 'no stray copies');
      expect((await storageOf(harness, userId)).used).toBe(INDEX_HTML.length + APP_JS.length + PNG.length);
    });
  });
});

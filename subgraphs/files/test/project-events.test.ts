// The projects service's events, delivered over the real RabbitMQ bus, in both storage modes:
// a deleted project takes its files with it; a duplicated one gets copies of them. Each is
// applied once however often the broker delivers it.
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

      // The objects go right after the rows' transaction commits.
      const otherKeys = other.fileIds.map((id) => `users/${userId}/files/${id}`).sort();
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
    it("copies the source project's READY files into the new project, charged to its owner", async () => {
      const userId = newUserId();
      const source = await projectWithFiles(userId);
      const copyId = newProject(harness, userId);
      await harness.files.infra.bus.publish(projectDuplicated(copyId, source.projectId, userId));

      const copies = await eventually(async () => {
        const files = await harness.db.file.findMany({ where: { projectId: copyId }, include: { metadata: true }, orderBy: { path: 'asc' } });
        return files.length === 3 ? files : null;
      }, 'the copies');
      const originals = await harness.db.file.findMany({ where: { projectId: source.projectId }, include: { metadata: true }, orderBy: { path: 'asc' } });
      expect(copies.map(({ path, name, size, type, status, userId: owner, metadata }) => ({ path, name, size, type, status, owner, checksum: metadata?.checksum }))).toEqual(
        originals.map(({ path, name, size, type, status, userId: owner, metadata }) => ({ path, name, size, type, status, owner, checksum: metadata?.checksum })),
      );
      expect(copies.every((copy) => !source.fileIds.includes(copy.id))).toBe(true);

      // Real copies: their own objects, with the same bytes, and their own space.
      const keys = await harness.objectKeys(userId);
      for (const copy of copies) expect(keys).toContain(`users/${userId}/files/${copy.id}`);
      const copyOfLogo = copies.find((copy) => copy.path === 'assets/logo.png')!;
      const { file: copyOfLogoFile } = expectNoGraphQLErrors(await harness.files.request(FileDocument, { id: copyOfLogo.id }, as(userId)));
      const bytes = Buffer.from(await (await fetch(copyOfLogoFile!.downloadUrl!)).arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(copyOfLogo.metadata?.checksum);
      const size = INDEX_HTML.length + APP_JS.length + PNG.length;
      expect((await storageOf(harness, userId)).used).toBe(2 * size);

      const uploaded = await eventually(async () => {
        const events = await harness.db.outboxEvent.findMany({ where: { type: 'files.file.uploaded', payload: { path: ['projectId'], equals: copyId }, publishedAt: { not: null } } });
        return events.length === 3 ? events : null;
      }, 'files.file.uploaded for each copy');
      expect(uploaded.map((event) => (event.payload as { path: string }).path).sort()).toEqual(['assets/app.js', 'assets/logo.png', 'index.html']);
    });

    it('skips the files that do not fit the quota, leaving no stray copies', async () => {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      await uploadFile(harness, userId, { name: 'a.txt', contentType: 'text/plain', projectId }, Buffer.from('a'.repeat(1000)));
      await uploadFile(harness, userId, { name: 'b.txt', contentType: 'text/plain', projectId }, Buffer.from('b'.repeat(2000)));
      const copyId = newProject(harness, userId);

      const event = projectDuplicated(copyId, projectId, userId);
      await harness.files.infra.bus.publish(event);
      await eventually(() => harness.db.processedEvent.findFirst({ where: { eventId: event.id } }), 'the duplication to be handled');

      // 3000 of 4096 bytes are used: the 1000-byte copy fits, the 2000-byte one does not.
      expect(await harness.db.file.findMany({ where: { projectId: copyId }, select: { path: true } })).toEqual([{ path: 'a.txt' }]);
      expect((await storageOf(harness, userId)).used).toBe(4000);
      expect(await harness.objectKeys(userId)).toHaveLength(3);
    });

    it('applies a duplication delivered twice once', async () => {
      const userId = newUserId();
      const source = await projectWithFiles(userId);
      const copyId = newProject(harness, userId);
      const event = projectDuplicated(copyId, source.projectId, userId);
      await harness.files.infra.bus.publish(event);
      await harness.files.infra.bus.publish(event);

      await eventually(() => harness.db.processedEvent.findFirst({ where: { eventId: event.id } }), 'the duplication to be handled');
      await sleep(750);
      expect(await harness.db.file.count({ where: { projectId: copyId } })).toBe(3);
      // Six objects: the originals and one set of copies, nothing from the second delivery.
      await eventually(async () => (await harness.objectKeys(userId)).length === 6, 'no stray copies');
    });
  });
});

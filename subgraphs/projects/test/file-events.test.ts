// files' events, delivered over the real RabbitMQ bus, keep each project's list of files:
// an upload links the file to its uploader's project, a deletion unlinks it; each once.
import type { TestService } from '@builderai/testkit';
import type { EventEnvelope } from '@builderai/kit';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { as, createProject, eventually, fileDeleted, fileUploaded, newId, PROJECT, projectsDatabase, settle, startProjects } from './helpers.js';

describe('projects consumes file events', () => {
  let projects: TestService;
  let db: PrismaClient;

  beforeAll(async () => {
    projects = await startProjects();
    db = projectsDatabase();
  });
  afterAll(async () => {
    await projects?.close();
    await db?.$disconnect();
  });

  const linksOf = (projectId: string) => db.projectFile.findMany({ where: { projectId }, orderBy: { createdAt: 'asc' } });

  /** Publishes the event and waits until it was handled, whatever it did. */
  async function deliverHandled(event: EventEnvelope): Promise<void> {
    await projects.infra.bus.publish(event);
    await eventually(() => db.processedEvent.findFirst({ where: { eventId: event.id } }), `${event.type} handled`);
  }

  it('links uploaded files to their project, typed by content type, and lists them in Project.files', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);
    const html = fileUploaded(id, userId, { contentType: 'text/html; charset=utf-8' });
    const logo = fileUploaded(id, userId, { name: 'logo.png', contentType: 'image/png' });
    await deliverHandled(html);
    await deliverHandled(logo);

    const links = await linksOf(id);
    expect(links.map(({ fileId, type }) => ({ fileId, type }))).toEqual([
      { fileId: (html.payload as { fileId: string }).fileId, type: 'html' },
      { fileId: (logo.payload as { fileId: string }).fileId, type: 'image' },
    ]);
    const { body } = await projects.request(PROJECT, { id }, as(userId));
    expect(body.data.project.files).toEqual(links.map((link) => ({ id: link.fileId })));
  });

  it('links a file once however often its upload is delivered or announced', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);
    const fileId = newId();
    const upload = fileUploaded(id, userId, { fileId });
    await projects.infra.bus.publish(upload);
    await deliverHandled(upload);
    await deliverHandled(fileUploaded(id, userId, { fileId }));
    await settle();
    expect(await linksOf(id)).toHaveLength(1);
    expect(await db.processedEvent.count({ where: { eventId: upload.id } })).toBe(1);
  });

  it("ignores an upload into another user's project, a project that does not exist, or none", async () => {
    const owner = newId();
    const id = await createProject(projects, owner);
    await deliverHandled(fileUploaded(id, newId()));
    await deliverHandled(fileUploaded(newId(), owner));
    const outsideProjects = fileUploaded(id, owner);
    (outsideProjects.payload as { projectId: string | null }).projectId = null;
    await projects.infra.bus.publish(outsideProjects);
    await settle();
    expect(await linksOf(id)).toEqual([]);
  });

  it('unlinks a deleted file, and a repeated deletion changes nothing', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);
    const kept = fileUploaded(id, userId);
    const removed = fileUploaded(id, userId);
    await deliverHandled(kept);
    await deliverHandled(removed);
    const removedId = (removed.payload as { fileId: string }).fileId;

    const deletion = fileDeleted(removedId, id);
    await projects.infra.bus.publish(deletion);
    await deliverHandled(deletion);
    await deliverHandled(fileDeleted(removedId, id));
    expect((await linksOf(id)).map((link) => link.fileId)).toEqual([(kept.payload as { fileId: string }).fileId]);
  });
});

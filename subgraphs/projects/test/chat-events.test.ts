// chat's generation events, delivered over the real RabbitMQ bus, move projects through
// GENERATING, each exactly once; a move the status does not allow is dropped, not retried.
import { useService } from '@builderai/testkit';
import projectsSubgraph from '../src/index.js';
import type { EventEnvelope } from '@builderai/kit';
import type { PrismaClient, ProjectStatus } from '../src/generated/prisma/client.ts';
import { createProject, eventually, generationEvent, newId, settle } from './helpers.js';

describe('projects consumes chat generation events', () => {
  const projects = useService(projectsSubgraph, { infrastructure: 'real' });
  const db = () => projects.db;


  const statusOf = async (id: string) => (await db().project.findUnique({ where: { id } }))?.status;
  const processed = (event: EventEnvelope) => db().processedEvent.findFirst({ where: { eventId: event.id } });

  /** Publishes the event and waits until the project has the expected status. */
  async function deliver(event: EventEnvelope, projectId: string, expected: ProjectStatus): Promise<void> {
    await projects.infra.bus.publish(event);
    await eventually(async () => (await statusOf(projectId)) === expected, `${event.type} → ${expected}`);
  }

  /** Publishes the event and waits until it was handled, whatever it did. */
  async function deliverHandled(event: EventEnvelope): Promise<void> {
    await projects.infra.bus.publish(event);
    await eventually(() => processed(event), `${event.type} handled`);
  }

  const statusChanges = async (projectId: string) =>
    (await db().outboxEvent.findMany({ where: { type: 'projects.project.status_changed', payload: { path: ['projectId'], equals: projectId } }, orderBy: { occurredAt: 'asc' } })).map(
      (event) => event.payload,
    );

  it('moves a DRAFT project to GENERATING, then READY, recording each change', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);
    const generation = newId();
    await deliver(generationEvent('started', id, userId, generation), id, 'GENERATING');
    await deliver(generationEvent('completed', id, userId, generation), id, 'READY');
    expect((await db().project.findUnique({ where: { id } }))?.generatedAt).toBeInstanceOf(Date);
    expect(await statusChanges(id)).toEqual([
      { projectId: id, userId, from: 'DRAFT', to: 'GENERATING' },
      { projectId: id, userId, from: 'GENERATING', to: 'READY' },
    ]);
  });

  it('returns a failed first generation to DRAFT, and a failed regeneration to READY', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);
    const [first, second, third] = [newId(), newId(), newId()];
    await deliver(generationEvent('started', id, userId, first), id, 'GENERATING');
    await deliver(generationEvent('failed', id, userId, first), id, 'DRAFT');

    await deliver(generationEvent('started', id, userId, second), id, 'GENERATING');
    await deliver(generationEvent('completed', id, userId, second), id, 'READY');
    await deliver(generationEvent('started', id, userId, third), id, 'GENERATING');
    await deliver(generationEvent('failed', id, userId, third), id, 'READY');
  });

  it('applies an event delivered twice once', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);
    const started = generationEvent('started', id, userId);
    await projects.infra.bus.publish(started);
    await deliver(started, id, 'GENERATING');
    await settle();
    expect(await db().processedEvent.count({ where: { eventId: started.id } })).toBe(1);
    expect(await statusChanges(id)).toHaveLength(1);
  });

  it('settles a project whose generation ended before its start was heard, and ignores the late start', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);
    const generation = newId();
    await deliver(generationEvent('completed', id, userId, generation), id, 'READY');
    await deliverHandled(generationEvent('started', id, userId, generation));
    expect(await statusOf(id)).toBe('READY');

    // A failure heard first changes nothing, and its late start does not leave it GENERATING.
    const failed = newId();
    await deliverHandled(generationEvent('failed', id, userId, failed));
    await deliverHandled(generationEvent('started', id, userId, failed));
    expect(await statusOf(id)).toBe('READY');
    expect(await statusChanges(id)).toEqual([{ projectId: id, userId, from: 'DRAFT', to: 'READY' }]);
  });

  it('stays GENERATING while another generation of the project runs, and a job taken again starts nothing new', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);
    const [one, two] = [newId(), newId()];
    await deliver(generationEvent('started', id, userId, one), id, 'GENERATING');
    await deliverHandled(generationEvent('started', id, userId, two));
    // The job of `one` taken again after its worker died: the same generation starts again.
    await deliverHandled(generationEvent('started', id, userId, one));
    await deliverHandled(generationEvent('completed', id, userId, one));
    expect(await statusOf(id)).toBe('GENERATING');
    await deliver(generationEvent('failed', id, userId, two), id, 'READY');
    expect(await statusChanges(id)).toEqual([
      { projectId: id, userId, from: 'DRAFT', to: 'GENERATING' },
      { projectId: id, userId, from: 'GENERATING', to: 'READY' },
    ]);
  });

  it('drops, without retrying, an event whose move the status does not allow', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);
    await db().project.update({ where: { id }, data: { status: 'PUBLISHED', generatedAt: new Date() } });
    const before = await db().project.findUnique({ where: { id } });
    await deliverHandled(generationEvent('started', id, userId));
    await deliverHandled(generationEvent('completed', id, userId));
    expect(await db().project.findUnique({ where: { id } })).toEqual(before);
    expect(await statusChanges(id)).toEqual([]);
  });

  it('leaves an archived project archived when its generation ends', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);
    const generation = newId();
    await deliver(generationEvent('started', id, userId, generation), id, 'GENERATING');
    await db().project.update({ where: { id }, data: { status: 'ARCHIVED', statusBeforeArchive: 'GENERATING', archivedAt: new Date() } });
    await deliverHandled(generationEvent('completed', id, userId, generation));
    expect(await statusOf(id)).toBe('ARCHIVED');
  });

  it("ignores events about another user's project or one that does not exist", async () => {
    const id = await createProject(projects, newId());
    await deliverHandled(generationEvent('started', id, newId()));
    await deliverHandled(generationEvent('started', newId(), newId()));
    expect(await statusOf(id)).toBe('DRAFT');
    expect(await statusChanges(id)).toEqual([]);
  });
});

// Users move their projects through the lifecycle with mutations; a move the status does not
// allow is BAD_USER_INPUT and changes nothing.
import { expectNoGraphQLErrors, useService } from '@builderai/testkit';
import projectsSubgraph from '../src/index.js';
import type { PrismaClient, ProjectStatus } from '../src/generated/prisma/client.ts';
import { as, codesOf, createProject, newId } from './helpers.js';
import {
  ArchiveProjectDocument,
  PublishProjectDocument,
  RenameProjectDocument,
  RestoreProjectDocument,
  UnpublishProjectDocument,
  type PublishProjectMutationVariables,
  type TestProjectMoveFieldsFragment,
  type TypedDocumentString,
} from './generated/operations.js';

type Move = 'publishProject' | 'unpublishProject' | 'archiveProject' | 'restoreProject';
/** Each move by its mutation: it answers the moved project's status fields under its own name. */
const MOVES: { [M in Move]: TypedDocumentString<{ [K in M]: TestProjectMoveFieldsFragment }, PublishProjectMutationVariables> } = {
  publishProject: PublishProjectDocument,
  unpublishProject: UnpublishProjectDocument,
  archiveProject: ArchiveProjectDocument,
  restoreProject: RestoreProjectDocument,
};

describe('project status', () => {
  const projects = useService(projectsSubgraph);
  const db = () => projects.db;


  /** A project of a new user in the given status, as chat's events would have left it. */
  async function projectIn(status: ProjectStatus, generated = status !== 'DRAFT') {
    const userId = newId();
    const id = await createProject(projects, userId);
    await db().project.update({ where: { id }, data: { status, generatedAt: generated ? new Date() : null } });
    return { userId, id };
  }

  const move = <M extends Move>(mutation: M, id: string, userId: string) => projects.request(MOVES[mutation], { id }, as(userId));

  const statusEvents = (projectId: string) =>
    db().outboxEvent.findMany({ where: { type: 'projects.project.status_changed', payload: { path: ['projectId'], equals: projectId } }, orderBy: { occurredAt: 'asc' } });

  it('publishes a READY project and unpublishes it, recording each status change', async () => {
    const { userId, id } = await projectIn('READY');
    const { publishProject } = expectNoGraphQLErrors(await move('publishProject', id, userId));
    expect(publishProject.status).toBe('PUBLISHED');
    const { unpublishProject } = expectNoGraphQLErrors(await move('unpublishProject', id, userId));
    expect(unpublishProject.status).toBe('READY');

    expect((await statusEvents(id)).map((event) => event.payload)).toEqual([
      { projectId: id, userId, from: 'READY', to: 'PUBLISHED' },
      { projectId: id, userId, from: 'PUBLISHED', to: 'READY' },
    ]);
  });

  it.each<[Move, ProjectStatus]>([
    ['publishProject', 'DRAFT'],
    ['publishProject', 'GENERATING'],
    ['publishProject', 'PUBLISHED'],
    ['publishProject', 'ARCHIVED'],
    ['unpublishProject', 'DRAFT'],
    ['unpublishProject', 'GENERATING'],
    ['unpublishProject', 'READY'],
    ['archiveProject', 'ARCHIVED'],
    ['restoreProject', 'DRAFT'],
    ['restoreProject', 'PUBLISHED'],
  ])('refuses %s of a %s project with BAD_USER_INPUT, and changes nothing', async (mutation, status) => {
    const { userId, id } = await projectIn(status);
    const before = await db().project.findUnique({ where: { id } });
    const { body } = await move(mutation, id, userId);
    expect(codesOf(body)).toEqual(['BAD_USER_INPUT']);
    expect(await db().project.findUnique({ where: { id } })).toEqual(before);
    expect(await statusEvents(id)).toEqual([]);
  });

  it.each(['DRAFT', 'GENERATING', 'READY', 'PUBLISHED'] as const)('archives a %s project and restores it', async (status) => {
    const { userId, id } = await projectIn(status);
    const { archiveProject } = expectNoGraphQLErrors(await move('archiveProject', id, userId));
    expect(archiveProject).toMatchObject({ status: 'ARCHIVED', archivedAt: expect.any(String) });

    const { restoreProject } = expectNoGraphQLErrors(await move('restoreProject', id, userId));
    // A generation's end is not applied while archived: that project comes back as its last generation left it.
    const expected = status === 'GENERATING' ? 'READY' : status;
    expect(restoreProject).toMatchObject({ status: expected, archivedAt: null });
    expect(await db().project.findUnique({ where: { id } })).toMatchObject({ status: expected, statusBeforeArchive: null, archivedAt: null });
    expect((await statusEvents(id)).map((event) => event.payload)).toEqual([
      { projectId: id, userId, from: status, to: 'ARCHIVED' },
      { projectId: id, userId, from: 'ARCHIVED', to: expected },
    ]);
  });

  it('restores a project archived mid-way through its first generation as DRAFT', async () => {
    const { userId, id } = await projectIn('GENERATING', false);
    await move('archiveProject', id, userId);
    expect(expectNoGraphQLErrors(await move('restoreProject', id, userId)).restoreProject.status).toBe('DRAFT');
  });

  it('keeps an archived project as it is until restored', async () => {
    const { userId, id } = await projectIn('READY');
    await move('archiveProject', id, userId);
    const before = await db().project.findUnique({ where: { id } });
    const { body } = await projects.request(RenameProjectDocument, { id }, as(userId));
    expect(codesOf(body)).toEqual(['BAD_USER_INPUT']);
    expect(await db().project.findUnique({ where: { id } })).toEqual(before);

    await move('restoreProject', id, userId);
    expect((await projects.request(RenameProjectDocument, { id }, as(userId))).body.errors).toBeUndefined();
  });

  it('applies concurrent moves of one project one after the other', async () => {
    const { userId, id } = await projectIn('READY');
    // Had both read READY, both would archive it; the second must see it ARCHIVED instead.
    const answers = await Promise.all(Array.from({ length: 4 }, () => move('archiveProject', id, userId)));
    expect(answers.filter(({ body }) => !body.errors)).toHaveLength(1);
    expect(answers.flatMap(({ body }) => codesOf(body))).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(await db().project.findUnique({ where: { id } })).toMatchObject({ status: 'ARCHIVED', statusBeforeArchive: 'READY' });
    expect(await statusEvents(id)).toHaveLength(1);
  });
});

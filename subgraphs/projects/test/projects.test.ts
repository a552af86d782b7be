// Creating, reading, editing, duplicating and deleting projects through the live subgraph,
// and the event each change records in the outbox with it.
import { expectNoGraphQLErrors, useService } from '@builderai/testkit';
import projectsSubgraph from '../src/index.js';
import { as, codesOf, createProject, eventually, newId } from './helpers.js';
import {
  CreateProjectDocument,
  DeleteProjectDocument,
  DuplicateProjectDocument,
  ProjectDocument,
  UpdateProjectConfigDocument,
  UpdateProjectDocument,
  type CreateProjectInput,
} from './generated/operations.js';

const SERVER = '0b8d6c2e-7f3a-4a51-9c1e-2d4f6a8b0c1d';

describe('projects', () => {
  const projects = useService(projectsSubgraph);
  const db = () => projects.db;


  /** The outbox events about a project, oldest first. */
  const eventsOf = (projectId: string) =>
    db().outboxEvent.findMany({ where: { payload: { path: ['projectId'], equals: projectId } }, orderBy: { occurredAt: 'asc' } });

  it('creates a DRAFT project with its config, and records projects.project.created', async () => {
    const userId = newId();
    const { createProject: project } = expectNoGraphQLErrors(
      await projects.request(
        CreateProjectDocument,
        {
          input: {
            name: '  Recipe finder ',
            description: 'Finds recipes',
            prompt: 'Build an app that finds recipes',
            llm: 'claude-sonnet',
            config: { mcpServerIds: [SERVER], settings: { theme: 'dark' } },
          },
        },
        as(userId),
      ),
    );
    expect(project).toEqual({
      id: expect.any(String),
      owner: { id: userId },
      name: 'Recipe finder',
      description: 'Finds recipes',
      prompt: 'Build an app that finds recipes',
      status: 'DRAFT',
      llm: 'claude-sonnet',
      config: { mcpServerIds: [SERVER], settings: { theme: 'dark' } },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      archivedAt: null,
    });

    // Recorded with the change, then published once the broker confirmed it.
    const published = await eventually(
      () => db().outboxEvent.findFirst({ where: { type: 'projects.project.created', payload: { path: ['projectId'], equals: project.id }, publishedAt: { not: null } } }),
      'the published projects.project.created event',
    );
    expect(published.payload).toEqual({ projectId: project.id, userId, name: 'Recipe finder' });
  });

  it('gives a new project the default model and an empty config', async () => {
    const userId = newId();
    const { project } = expectNoGraphQLErrors(await projects.request(ProjectDocument, { id: await createProject(projects, userId) }, as(userId)));
    expect(project).toMatchObject({ llm: 'gpt-4o-mini', config: { mcpServerIds: [], settings: {} }, description: null, prompt: null });
  });

  it('refuses bad input with BAD_USER_INPUT naming the field, and creates nothing', async () => {
    const userId = newId();
    const cases: Array<[CreateProjectInput, string]> = [
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'a', llm: 'gpt-99' }, 'llm'],
      [{ name: 'a', description: 'x'.repeat(2001) }, 'description'],
      [{ name: 'a', config: { mcpServerIds: ['nope'] } }, 'mcpServerIds'],
      [{ name: 'a', config: { settings: [1, 2] } }, 'settings'],
    ];
    for (const [input, field] of cases) {
      const { body } = await projects.request(CreateProjectDocument, { input }, as(userId));
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } })]);
    }
    expect(await db().project.count({ where: { userId } })).toBe(0);
    expect(await db().projectConfig.count({ where: { project: { userId } } })).toBe(0);
  });

  it('requires a signed-in user', async () => {
    const { body } = await projects.request(CreateProjectDocument, { input: { name: 'Anonymous' } });
    expect(codesOf(body)).toEqual(['UNAUTHENTICATED']);
    expect(codesOf((await projects.request(ProjectDocument, { id: newId() })).body)).toEqual(['UNAUTHENTICATED']);
  });

  it('reads a project by id, and NOT_FOUND for one that does not exist or an id that is not one', async () => {
    const userId = newId();
    const id = await createProject(projects, userId, { name: 'Readable' });
    expect(expectNoGraphQLErrors(await projects.request(ProjectDocument, { id }, as(userId))).project).toMatchObject({ id, name: 'Readable' });
    for (const missing of [newId(), 'not-a-uuid']) {
      const { body } = await projects.request(ProjectDocument, { id: missing }, as(userId));
      expect(codesOf(body)).toEqual(['NOT_FOUND']);
    }
  });

  it('updates only the given fields and records projects.project.updated', async () => {
    const userId = newId();
    const id = await createProject(projects, userId, { name: 'Before', description: 'Old', prompt: 'Keep me' });
    const { updateProject } = expectNoGraphQLErrors(await projects.request(UpdateProjectDocument, { id, input: { name: 'After', description: null, llm: 'gpt-4o' } }, as(userId)));
    expect(updateProject).toMatchObject({ name: 'After', description: null, prompt: 'Keep me', llm: 'gpt-4o', status: 'DRAFT' });
    expect(new Date(updateProject.updatedAt) >= new Date(updateProject.createdAt)).toBe(true);

    const events = await eventsOf(id);
    expect(events.map((event) => event.type)).toEqual(['projects.project.created', 'projects.project.updated']);
    expect(events[1]!.payload).toEqual({ projectId: id, userId });
  });

  it('changes and announces nothing when asked to change nothing', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);
    const before = await db().project.findUnique({ where: { id } });
    const { body } = await projects.request(UpdateProjectDocument, { id, input: {} }, as(userId));
    expect(body.errors).toBeUndefined();
    expect(await db().project.findUnique({ where: { id } })).toEqual(before);
    expect((await eventsOf(id)).map((event) => event.type)).toEqual(['projects.project.created']);
  });

  it('refuses a bad update with BAD_USER_INPUT and changes nothing', async () => {
    const userId = newId();
    const id = await createProject(projects, userId, { name: 'Stable' });
    const before = await db().project.findUnique({ where: { id } });
    for (const [input, field] of [[{ name: null }, 'name'], [{ name: 'ok', llm: 'unknown' }, 'llm'], [{ prompt: 'x'.repeat(20_001) }, 'prompt']] as const) {
      const { body } = await projects.request(UpdateProjectDocument, { id, input }, as(userId));
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } })]);
    }
    expect(await db().project.findUnique({ where: { id } })).toEqual(before);
  });

  it('replaces the given parts of the config and records projects.project.updated', async () => {
    const userId = newId();
    const id = await createProject(projects, userId, { config: { settings: { theme: 'dark' } } });
    const { updateProjectConfig } = expectNoGraphQLErrors(await projects.request(UpdateProjectConfigDocument, { id, input: { mcpServerIds: [SERVER.toUpperCase(), SERVER] } }, as(userId)));
    expect(updateProjectConfig.config).toEqual({ mcpServerIds: [SERVER], settings: { theme: 'dark' } });

    const replaced = expectNoGraphQLErrors(await projects.request(UpdateProjectConfigDocument, { id, input: { settings: { layout: 'grid' } } }, as(userId)));
    expect(replaced.updateProjectConfig.config).toEqual({ mcpServerIds: [SERVER], settings: { layout: 'grid' } });
    expect((await eventsOf(id)).map((event) => event.type)).toEqual(['projects.project.created', 'projects.project.updated', 'projects.project.updated']);

    const tooMany = Array.from({ length: 51 }, () => newId());
    const refused = await projects.request(UpdateProjectConfigDocument, { id, input: { mcpServerIds: tooMany } }, as(userId));
    expect(refused.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'mcpServerIds' } })]);
    expect(await db().projectConfig.findUnique({ where: { projectId: id } })).toMatchObject({ mcpServerIds: [SERVER], settings: { layout: 'grid' } });
  });

  it('duplicates a project as a DRAFT copy with its config, and records projects.project.duplicated', async () => {
    const userId = newId();
    const sourceId = await createProject(projects, userId, {
      name: 'Original',
      description: 'The first',
      prompt: 'Make it',
      llm: 'o3-mini',
      config: { mcpServerIds: [SERVER], settings: { a: 1 } },
    });
    await db().project.update({ where: { id: sourceId }, data: { status: 'PUBLISHED', generatedAt: new Date() } });

    const { duplicateProject: copy } = expectNoGraphQLErrors(await projects.request(DuplicateProjectDocument, { id: sourceId }, as(userId)));
    expect(copy).toMatchObject({
      owner: { id: userId },
      name: 'Original (copy)',
      description: 'The first',
      prompt: 'Make it',
      llm: 'o3-mini',
      status: 'DRAFT',
      config: { mcpServerIds: [SERVER], settings: { a: 1 } },
    });
    expect(copy.id).not.toBe(sourceId);
    expect(await db().project.findUnique({ where: { id: copy.id } })).toMatchObject({ generatedAt: null });

    const [duplicated] = await eventsOf(copy.id);
    expect(duplicated).toMatchObject({ type: 'projects.project.duplicated', payload: { projectId: copy.id, sourceProjectId: sourceId, userId } });
  });

  it('deletes a project with its config, and records projects.project.deleted', async () => {
    const userId = newId();
    const id = await createProject(projects, userId);

    const { body } = await projects.request(DeleteProjectDocument, { id }, as(userId));
    expect(body).toEqual({ data: { deleteProject: id } });
    expect(await db().project.findUnique({ where: { id } })).toBeNull();
    expect(await db().projectConfig.count({ where: { projectId: id } })).toBe(0);
    expect((await eventsOf(id)).map((event) => event.type)).toEqual(['projects.project.created', 'projects.project.deleted']);
    expect((await eventsOf(id))[1]!.payload).toEqual({ projectId: id, userId });

    const again = await projects.request(DeleteProjectDocument, { id }, as(userId));
    expect(codesOf(again.body)).toEqual(['NOT_FOUND']);
  });

  it('reports its database and the shared infrastructure as ready', async () => {
    const response = await fetch(`${projects.service.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', checks: { database: { status: 'up' } } });
  });
});

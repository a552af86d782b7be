// A project is its owner's: anyone else is told it does not exist, and nothing they try
// changes it. Admins may read it but not change it.
import { expectNoGraphQLErrors, useService } from '@builderai/testkit';
import projectsSubgraph from '../src/index.js';
import { admin, as, codesOf, createProject, newId } from './helpers.js';
import {
  ArchiveProjectIdDocument,
  DeleteProjectDocument,
  DuplicateProjectIdDocument,
  ProjectDocument,
  ProjectEntityDocument,
  ProjectsOfUserDocument,
  PublishProjectIdDocument,
  RestoreProjectIdDocument,
  TakeOverProjectConfigDocument,
  TakeOverProjectDocument,
  UnpublishProjectIdDocument,
  type TypedDocumentString,
} from './generated/operations.js';

/** Every change of a project, by its mutation, as anyone but its owner might try it. */
const MUTATIONS: Record<string, TypedDocumentString<unknown, { id: string }>> = {
  updateProject: TakeOverProjectDocument,
  updateProjectConfig: TakeOverProjectConfigDocument,
  publishProject: PublishProjectIdDocument,
  unpublishProject: UnpublishProjectIdDocument,
  archiveProject: ArchiveProjectIdDocument,
  restoreProject: RestoreProjectIdDocument,
  duplicateProject: DuplicateProjectIdDocument,
  deleteProject: DeleteProjectDocument,
};

describe('access to projects', () => {
  const projects = useService(projectsSubgraph);
  const db = () => projects.db;
  let owner: string;
  let projectId: string;

  beforeAll(async () => {
    owner = newId();
    projectId = await createProject(projects, owner, { name: 'Private', config: { settings: { secret: 1 } } });
  });

  // Everything a change could touch: the project with its config, the projects of
  // the owner and of the caller (a copy), and the events (other test files share the database).
  async function snapshot(caller: string) {
    const users = [owner, caller];
    return {
      project: await db().project.findUnique({ where: { id: projectId }, include: { config: true } }),
      projects: await db().project.count({ where: { userId: { in: users } } }),
      events: await db().outboxEvent.count({ where: { OR: users.map((userId) => ({ payload: { path: ['userId'], equals: userId } })) } }),
    };
  }

  it("answers NOT_FOUND for another user's project, as for one that does not exist", async () => {
    const stranger = newId();
    const { body } = await projects.request(ProjectDocument, { id: projectId }, as(stranger));
    expect(codesOf(body)).toEqual(['NOT_FOUND']);
    const missing = await projects.request(ProjectDocument, { id: newId() }, as(stranger));
    expect(missing.body.errors![0].message).toBe(body.errors![0].message);
  });

  it.each(Object.keys(MUTATIONS))("answers NOT_FOUND to %s of another user's project, and changes nothing", async (mutation) => {
    const stranger = newId();
    const before = await snapshot(stranger);
    const { body } = await projects.request(MUTATIONS[mutation]!, { id: projectId }, as(stranger));
    expect(codesOf(body)).toEqual(['NOT_FOUND']);
    expect(await snapshot(stranger)).toEqual(before);
  });

  it("lets an admin read a project and list its owner's projects", async () => {
    const { project } = expectNoGraphQLErrors(await projects.request(ProjectDocument, { id: projectId }, admin()));
    expect(project).toMatchObject({ id: projectId, name: 'Private', owner: { id: owner } });
    const listed = expectNoGraphQLErrors(await projects.request(ProjectsOfUserDocument, { id: owner }, admin()));
    expect(listed._entities[0]?.projects).toEqual({ totalCount: 1, edges: [{ node: { id: projectId } }] });
  });

  it.each(Object.keys(MUTATIONS))('answers FORBIDDEN to %s by an admin, and changes nothing', async (mutation) => {
    const administrator = admin();
    const before = await snapshot(administrator.userId!);
    const { body } = await projects.request(MUTATIONS[mutation]!, { id: projectId }, administrator);
    expect(codesOf(body)).toEqual(['FORBIDDEN']);
    expect(await snapshot(administrator.userId!)).toEqual(before);
  });

  it('lists no projects of another user, without telling whether there are any', async () => {
    const { _entities } = expectNoGraphQLErrors(await projects.request(ProjectsOfUserDocument, { id: owner }, as(newId())));
    expect(_entities[0]?.projects).toEqual({ totalCount: 0, edges: [] });
    const anonymous = expectNoGraphQLErrors(await projects.request(ProjectsOfUserDocument, { id: owner }));
    expect(anonymous._entities[0]?.projects).toEqual({ totalCount: 0, edges: [] });
  });

  it('resolves a Project entity only for those who may read it', async () => {
    expect(expectNoGraphQLErrors(await projects.request(ProjectEntityDocument, { id: projectId }, as(owner)))._entities).toEqual([{ id: projectId, name: 'Private' }]);
    expect(expectNoGraphQLErrors(await projects.request(ProjectEntityDocument, { id: projectId }, as(newId())))._entities).toEqual([null]);
    expect(expectNoGraphQLErrors(await projects.request(ProjectEntityDocument, { id: projectId }))._entities).toEqual([null]);
  });
});

// A project is its owner's: anyone else is told it does not exist, and nothing they try
// changes it. Admins may read it but not change it.
import { useService } from '@builderai/testkit';
import projectsSubgraph from '../src/index.js';
import { admin, as, codesOf, createProject, newId, PROJECT } from './helpers.js';

const MUTATIONS: Record<string, string> = {
  updateProject: `mutation ($id: ID!) { updateProject(id: $id, input: { name: "Taken over" }) { id } }`,
  updateProjectConfig: `mutation ($id: ID!) { updateProjectConfig(id: $id, input: { settings: { owned: true } }) { id } }`,
  publishProject: `mutation ($id: ID!) { publishProject(id: $id) { id } }`,
  unpublishProject: `mutation ($id: ID!) { unpublishProject(id: $id) { id } }`,
  archiveProject: `mutation ($id: ID!) { archiveProject(id: $id) { id } }`,
  restoreProject: `mutation ($id: ID!) { restoreProject(id: $id) { id } }`,
  duplicateProject: `mutation ($id: ID!) { duplicateProject(id: $id) { id } }`,
  deleteProject: `mutation ($id: ID!) { deleteProject(id: $id) }`,
};

const PROJECTS_OF = `query ($id: ID!) {
  _entities(representations: [{ __typename: "User", id: $id }]) {
    ... on User { projects { totalCount edges { node { id } } } }
  }
}`;

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
    const { body } = await projects.request(PROJECT, { id: projectId }, as(stranger));
    expect(codesOf(body)).toEqual(['NOT_FOUND']);
    const missing = await projects.request(PROJECT, { id: newId() }, as(stranger));
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
    const { body } = await projects.request(PROJECT, { id: projectId }, admin());
    expect(body.data.project).toMatchObject({ id: projectId, name: 'Private', owner: { id: owner } });
    const listed = await projects.request(PROJECTS_OF, { id: owner }, admin());
    expect(listed.body.data._entities[0].projects).toEqual({ totalCount: 1, edges: [{ node: { id: projectId } }] });
  });

  it.each(Object.keys(MUTATIONS))('answers FORBIDDEN to %s by an admin, and changes nothing', async (mutation) => {
    const administrator = admin();
    const before = await snapshot(administrator.userId!);
    const { body } = await projects.request(MUTATIONS[mutation]!, { id: projectId }, administrator);
    expect(codesOf(body)).toEqual(['FORBIDDEN']);
    expect(await snapshot(administrator.userId!)).toEqual(before);
  });

  it('lists no projects of another user, without telling whether there are any', async () => {
    const { body } = await projects.request(PROJECTS_OF, { id: owner }, as(newId()));
    expect(body.data._entities[0].projects).toEqual({ totalCount: 0, edges: [] });
    const anonymous = await projects.request(PROJECTS_OF, { id: owner });
    expect(anonymous.body.data._entities[0].projects).toEqual({ totalCount: 0, edges: [] });
  });

  it('resolves a Project entity only for those who may read it', async () => {
    const ENTITIES = `query ($id: ID!) { _entities(representations: [{ __typename: "Project", id: $id }]) { ... on Project { id name } } }`;
    expect((await projects.request(ENTITIES, { id: projectId }, as(owner))).body.data._entities).toEqual([{ id: projectId, name: 'Private' }]);
    expect((await projects.request(ENTITIES, { id: projectId }, as(newId()))).body.data._entities).toEqual([null]);
    expect((await projects.request(ENTITIES, { id: projectId })).body.data._entities).toEqual([null]);
  });
});

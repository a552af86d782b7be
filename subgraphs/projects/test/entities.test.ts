// The router resolves `me { projects { ... config ... } }` through _entities: the SQL it costs
// must not grow with the number of projects (one query per table, per-request DataLoaders),
// counted at the pg driver.
import { expectNoGraphQLErrors, useService, useSqlCount } from '@builderai/testkit';
import projectsSubgraph from '../src/index.js';
import { as, newId } from './helpers.js';
import {
  ProjectEntitiesDocument,
  UserProjectConfigsDocument,
  UserProjectsEverythingDocument,
  type ProjectEntitiesQueryVariables,
  type TypedDocumentString,
} from './generated/operations.js';

// Queries of the projects tables that Prisma sends (the event handlers' SQL is not schema-qualified).
const PROJECTS_TABLES = /"public"\."(projects|project_configs)"/;

describe('Project and User entities', () => {
  const projects = useService(projectsSubgraph);
  const db = () => projects.db;
  const sql = useSqlCount(PROJECTS_TABLES);

  /** A user with `count` projects; returns the user and the project ids. */
  async function userWithProjects(count: number): Promise<{ userId: string; projectIds: string[] }> {
    const userId = newId();
    const projectIds: string[] = [];
    for (let i = 0; i < count; i++) {
      const project = await db().project.create({
        data: {
          userId,
          name: `Project ${i}`,
          llm: 'gpt-4o-mini',
          config: { create: { mcpServerIds: [newId()] } },
        },
      });
      projectIds.push(project.id);
    }
    return { userId, projectIds };
  }


  async function countQueries<T extends { _entities: unknown[] }>(
    query: TypedDocumentString<T, ProjectEntitiesQueryVariables>,
    representations: Array<Record<string, unknown>>,
    userId: string,
  ) {
    sql.reset();
    const data: T['_entities'] = expectNoGraphQLErrors(await projects.request(query, { representations }, as(userId)))._entities;
    return { data, queries: sql.count };
  }

  it("costs as many SQL queries for a user's 50 projects and their configs as for 1: one per table", async () => {
    const one = await userWithProjects(1);
    const fifty = await userWithProjects(50);
    const forOne = await countQueries(UserProjectConfigsDocument, [{ __typename: 'User', id: one.userId }], one.userId);
    const forFifty = await countQueries(UserProjectConfigsDocument, [{ __typename: 'User', id: fifty.userId }], fifty.userId);

    expect(forOne.data[0]?.projects.edges).toHaveLength(1);
    expect(forFifty.data[0]?.projects.edges).toHaveLength(50);
    expect(forFifty.data[0]?.projects.edges.every((edge) => edge.node.config.mcpServerIds.length === 1)).toBe(true);
    // The page, then the configs of all its projects.
    expect(forOne.queries).toBe(2);
    expect(forFifty.queries).toBe(forOne.queries);

    const everythingForOne = await countQueries(UserProjectsEverythingDocument, [{ __typename: 'User', id: one.userId }], one.userId);
    const everythingForFifty = await countQueries(UserProjectsEverythingDocument, [{ __typename: 'User', id: fifty.userId }], fifty.userId);
    expect(everythingForFifty.data[0]?.projects.totalCount).toBe(50);
    // Page, count and configs.
    expect(everythingForOne.queries).toBe(3);
    expect(everythingForFifty.queries).toBe(everythingForOne.queries);
  });

  it('resolves many Project references in one query per table, and null for those the user may not read', async () => {
    const { userId, projectIds } = await userWithProjects(20);
    const theirs = await userWithProjects(1);
    const representations = [...projectIds, theirs.projectIds[0], newId(), 'not-a-uuid'].map((id) => ({ __typename: 'Project', id }));

    const { data, queries } = await countQueries(ProjectEntitiesDocument, representations, userId);
    expect(data.slice(0, 20).map((project) => project?.id)).toEqual(projectIds);
    expect(data[0]).toEqual({ id: projectIds[0], name: 'Project 0', config: { settings: {} } });
    expect(data.slice(20)).toEqual([null, null, null]);
    // The projects, then their configs.
    expect(queries).toBe(2);
  });
});

// User.projects: cursor pagination over the chosen order, filtered by status and name.
import { expectNoGraphQLErrors, useService } from '@builderai/testkit';
import projectsSubgraph from '../src/index.js';
import type { PrismaClient, ProjectStatus } from '../src/generated/prisma/client.ts';
import { as, newId } from './helpers.js';
import { UserProjectsPageDocument, type UserProjectsPageQueryVariables } from './generated/operations.js';

/** What a page may ask for besides the user. */
type PageVariables = Omit<UserProjectsPageQueryVariables, 'userId'>;

interface Page {
  totalCount: number;
  edges: Array<{ cursor: string; node: { id: string; name: string; status: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const SECOND = 1000;
const BASE = Date.parse('2026-01-01T00:00:00Z');

describe('User.projects', () => {
  const projects = useService(projectsSubgraph);
  const db = () => projects.db;


  interface Seed {
    name: string;
    status?: ProjectStatus;
    /** Seconds after BASE; equal values make ties the id must break. */
    createdAt: number;
    updatedAt?: number;
  }

  /** Stores the projects of a new user as given; returns the user and the ids in seed order. */
  async function seed(rows: Seed[]): Promise<{ userId: string; ids: string[] }> {
    const userId = newId();
    const ids: string[] = [];
    for (const row of rows) {
      const project = await db().project.create({
        data: {
          userId,
          name: row.name,
          status: row.status ?? 'DRAFT',
          llm: 'gpt-4o-mini',
          createdAt: new Date(BASE + row.createdAt * SECOND),
          updatedAt: new Date(BASE + (row.updatedAt ?? row.createdAt) * SECOND),
          config: { create: {} },
        },
      });
      ids.push(project.id);
    }
    return { userId, ids };
  }

  async function page(userId: string, variables: PageVariables = {}, viewer = userId): Promise<Page> {
    const [user] = expectNoGraphQLErrors(await projects.request(UserProjectsPageDocument, { userId, ...variables }, as(viewer)))._entities;
    if (!user) throw new Error(`no User entity for ${userId}`);
    return user.projects;
  }

  /** Follows the cursors from the first page to the last; returns the names in the order seen. */
  async function walk(userId: string, first: number, variables: Omit<PageVariables, 'first' | 'after'> = {}): Promise<{ names: string[]; pages: number }> {
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const current: Page = await page(userId, { ...variables, first, after });
      pages++;
      names.push(...current.edges.map((edge) => edge.node.name));
      if (!current.pageInfo.hasNextPage) return { names, pages };
      expect(current.pageInfo.endCursor).toBe(current.edges.at(-1)!.cursor);
      after = current.pageInfo.endCursor;
    }
  }

  it('lists newest first, a page at a time, each project exactly once', async () => {
    const { userId } = await seed(Array.from({ length: 7 }, (_, i) => ({ name: `p${i}`, createdAt: i })));
    const first = await page(userId, { first: 3 });
    expect(first.totalCount).toBe(7);
    expect(first.edges.map((edge) => edge.node.name)).toEqual(['p6', 'p5', 'p4']);
    expect(first.pageInfo.hasNextPage).toBe(true);

    const { names, pages } = await walk(userId, 3);
    expect(names).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0']);
    expect(pages).toBe(3);
  });

  it('breaks ties of the sort key by id, so pages neither repeat nor skip', async () => {
    const { userId, ids } = await seed(Array.from({ length: 6 }, (_, i) => ({ name: `tie${i}`, createdAt: i < 5 ? 10 : 20 })));
    const { names } = await walk(userId, 2);
    expect(new Set(names).size).toBe(6);
    const tied = ids.slice(0, 5).sort().reverse();
    const byId = new Map(ids.map((id, i) => [id, `tie${i}`]));
    expect(names).toEqual(['tie5', ...tied.map((id) => byId.get(id))]);
  });

  it('orders by name or by last update, either way', async () => {
    const { userId } = await seed([
      { name: 'banana', createdAt: 1, updatedAt: 9 },
      { name: 'Apple', createdAt: 2, updatedAt: 7 },
      { name: 'cherry', createdAt: 3, updatedAt: 8 },
    ]);
    const byName = await walk(userId, 2, { orderBy: { field: 'NAME' } });
    expect(byName.names.map((name) => name.toLowerCase())).toEqual(['apple', 'banana', 'cherry']);
    const byNameDesc = await walk(userId, 2, { orderBy: { field: 'NAME', direction: 'DESC' } });
    expect(byNameDesc.names).toEqual([...byName.names].reverse());
    expect((await walk(userId, 1, { orderBy: { field: 'UPDATED_AT' } })).names).toEqual(['banana', 'cherry', 'Apple']);
    expect((await walk(userId, 2, { orderBy: { field: 'CREATED_AT', direction: 'ASC' } })).names).toEqual(['banana', 'Apple', 'cherry']);
  });

  it('filters by status and by a part of the name in any case, counting only matches', async () => {
    const { userId } = await seed([
      { name: 'Todo list', status: 'READY', createdAt: 1 },
      { name: 'Weather TODAY', status: 'PUBLISHED', createdAt: 2 },
      { name: 'Chess', status: 'READY', createdAt: 3 },
      { name: 'Old todo', status: 'ARCHIVED', createdAt: 4 },
      { name: '100% done', status: 'DRAFT', createdAt: 5 },
      { name: 'C:\\apps', status: 'DRAFT', createdAt: 6 },
    ]);
    const ready = await page(userId, { filter: { status: ['READY'] } });
    expect(ready.edges.map((edge) => edge.node.name)).toEqual(['Chess', 'Todo list']);
    expect(ready.totalCount).toBe(2);

    const todo = await walk(userId, 1, { filter: { search: '  tOd ' } });
    expect(todo.names).toEqual(['Old todo', 'Weather TODAY', 'Todo list']);
    const active = await page(userId, { filter: { search: 'tod', status: ['READY', 'PUBLISHED'] } });
    expect(active.edges.map((edge) => edge.node.name)).toEqual(['Weather TODAY', 'Todo list']);
    expect(active.totalCount).toBe(2);

    // Search text is literal: %, _ and \ are no pattern characters.
    expect((await page(userId, { filter: { search: '%' } })).edges.map((edge) => edge.node.name)).toEqual(['100% done']);
    expect((await page(userId, { filter: { search: '_' } })).totalCount).toBe(0);
    expect((await page(userId, { filter: { search: '\\' } })).edges.map((edge) => edge.node.name)).toEqual(['C:\\apps']);
    expect((await page(userId, { filter: { search: '' } })).totalCount).toBe(6);
  });

  it('continues after a cursor whatever was added or removed meanwhile', async () => {
    const { userId, ids } = await seed(Array.from({ length: 4 }, (_, i) => ({ name: `s${i}`, createdAt: i })));
    const first = await page(userId, { first: 2 });
    expect(first.edges.map((edge) => edge.node.name)).toEqual(['s3', 's2']);
    await db().project.create({ data: { userId, name: 'newer', llm: 'gpt-4o-mini', createdAt: new Date(BASE + 100 * SECOND) } });
    await db().project.delete({ where: { id: ids[2]! } });
    const next = await page(userId, { first: 2, after: first.pageInfo.endCursor });
    expect(next.edges.map((edge) => edge.node.name)).toEqual(['s1', 's0']);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });

  it('answers first: 0 with no edges, and an empty list with no cursor', async () => {
    const { userId } = await seed([{ name: 'only', createdAt: 1 }]);
    expect(await page(userId, { first: 0 })).toEqual({ totalCount: 1, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
    expect(await page(newId())).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('refuses more than 100 at a time, a negative size, and cursors of another order or none of ours', async () => {
    const { userId } = await seed([{ name: 'a', createdAt: 1 }, { name: 'b', createdAt: 2 }]);
    expect((await page(userId, { first: 100 })).edges).toHaveLength(2);
    const cursor = (await page(userId, { first: 1 })).pageInfo.endCursor;
    const refusals: Array<[PageVariables, string]> = [
      [{ first: 101 }, 'first'],
      [{ first: -1 }, 'first'],
      [{ after: cursor, orderBy: { field: 'NAME' } }, 'after'],
      [{ after: 'bm90IGEgY3Vyc29y' }, 'after'],
    ];
    for (const [variables, field] of refusals) {
      const { body } = await projects.request(UserProjectsPageDocument, { userId, ...variables }, as(userId));
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } })]);
    }
  });

  it('shows each user only their own projects', async () => {
    const mine = await seed([{ name: 'mine', createdAt: 1 }]);
    const theirs = await seed([{ name: 'theirs', createdAt: 1 }]);
    expect((await page(mine.userId)).edges.map((edge) => edge.node.name)).toEqual(['mine']);
    expect(await page(theirs.userId, {}, mine.userId)).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

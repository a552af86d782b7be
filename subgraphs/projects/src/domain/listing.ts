// A user's projects, a page at a time: keyset pagination on the chosen order (one query for
// the page, one more only when totalCount is asked for).
import { badUserInput } from '@builderai/kit';
import type { PrismaClient, Prisma, Project, ProjectStatus } from '../generated/prisma/client.ts';
import { decodeCursor, encodeCursor, type CursorPosition, type ProjectOrder } from './cursor.js';

export const DEFAULT_PAGE_SIZE = 20;
export const PAGE_SIZE_MAX = 100;

export interface ProjectFilter {
  /** Any of these statuses; omitted (or null) means every status. */
  status?: ProjectStatus[] | null;
  /** Case-insensitive part of the name; blank means no search. */
  search?: string | null;
}

export interface ListProjectsArgs {
  first?: number | null;
  after?: string | null;
  filter?: ProjectFilter | null;
  orderBy?: { field?: ProjectOrder['field'] | null; direction?: ProjectOrder['direction'] | null } | null;
}

export interface ProjectEdge {
  cursor: string;
  node: Project;
}

/** A page of projects, shaped as the GraphQL ProjectConnection. */
export interface ProjectPage {
  edges: ProjectEdge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Counts every project the filter matches, across all pages (a query of its own). */
  count: () => Promise<number>;
}

const SORT_COLUMN = { CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt', NAME: 'name' } as const;

export function emptyPage(): ProjectPage {
  return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, count: async () => 0 };
}

function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (size < 0 || size > PAGE_SIZE_MAX) throw badUserInput(`first must be between 0 and ${PAGE_SIZE_MAX}`, 'first');
  return size;
}

/** Newest first by default; names A to Z unless asked otherwise. */
export function orderOf(orderBy: ListProjectsArgs['orderBy']): ProjectOrder {
  const field = orderBy?.field ?? 'CREATED_AT';
  return { field, direction: orderBy?.direction ?? (field === 'NAME' ? 'ASC' : 'DESC') };
}

// Prisma sends `contains` as an ILIKE pattern as it is: \, % and _ must be escaped to match literally.
const literalPattern = (text: string) => text.replace(/[\\%_]/g, '\\$&');

function filterWhere(ownerId: string, filter: ProjectFilter | null | undefined): Prisma.ProjectWhereInput {
  const where: Prisma.ProjectWhereInput = { userId: ownerId };
  if (filter?.status != null) where.status = { in: filter.status };
  const search = filter?.search?.trim();
  if (search) where.name = { contains: literalPattern(search), mode: 'insensitive' };
  return where;
}

function sortKeyOf(project: Project, order: ProjectOrder): string {
  const column = SORT_COLUMN[order.field];
  return column === 'name' ? project.name : project[column].toISOString();
}

// The projects after the cursor's: a greater (or, descending, smaller) key, or the same key and id.
function afterWhere(order: ProjectOrder, position: CursorPosition): Prisma.ProjectWhereInput {
  const column = SORT_COLUMN[order.field];
  const key = column === 'name' ? position.key : new Date(position.key);
  const beyond = order.direction === 'ASC' ? 'gt' : 'lt';
  return { OR: [{ [column]: { [beyond]: key } }, { [column]: key, id: { [beyond]: position.id } }] };
}

export async function listProjects(db: PrismaClient, ownerId: string, args: ListProjectsArgs): Promise<ProjectPage> {
  const size = pageSize(args.first);
  const order = orderOf(args.orderBy);
  const where = filterWhere(ownerId, args.filter);
  const after = args.after ? afterWhere(order, decodeCursor(args.after, order)) : undefined;
  const direction = order.direction === 'ASC' ? 'asc' : 'desc';

  // One row more than asked tells whether another page follows.
  const rows = await db.project.findMany({
    where: after ? { AND: [where, after] } : where,
    orderBy: [{ [SORT_COLUMN[order.field]]: direction }, { id: direction }],
    take: size + 1,
  });
  const edges = rows.slice(0, size).map((node) => ({ node, cursor: encodeCursor(order, { key: sortKeyOf(node, order), id: node.id }) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
    count: () => db.project.count({ where }),
  };
}

// Pages of a connection: `first` items after an opaque cursor. A conversation cursor holds its
// creation time and id (newest first, the id breaks ties); a message cursor is the message's
// id on the branch being shown.
import { badUserInput, isUuid } from '@builderai/kit';
import type { Conversation, Message } from '../generated/prisma/client.ts';

export interface Edge<T> {
  cursor: string;
  node: T;
}
export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
export type ConversationEdge = Edge<Conversation>;
export type ConversationPage = Page<Conversation>;
export type MessageEdge = Edge<Message>;
export type MessagePage = Page<Message>;

export const MAX_PAGE = 100;

export function pageSize(first: number | null | undefined, fallback: number): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw badUserInput(`first must be from 1 to ${MAX_PAGE}`, 'first');
  return size;
}

/** `size + 1` rows fetched → a page of `size` and whether more follow. */
export function pageOf<T>(rows: T[], size: number, cursorOf: (row: T) => string): Page<T> {
  const edges = rows.slice(0, size).map((node) => ({ cursor: cursorOf(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}

export const conversationCursor = (conversation: Conversation) =>
  Buffer.from(JSON.stringify([conversation.createdAt.toISOString(), conversation.id])).toString('base64url');

export function parseConversationCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (!Number.isNaN(createdAt.getTime()) && isUuid(id)) return { createdAt, id };
  } catch {
    // falls through to the error
  }
  throw badUserInput('after is not a cursor of this list', 'after');
}

export const messageCursor = (message: Message) => message.id;

export function parseMessageCursor(cursor: string): string {
  if (!isUuid(cursor)) throw badUserInput('after is not a cursor of this list', 'after');
  return cursor;
}

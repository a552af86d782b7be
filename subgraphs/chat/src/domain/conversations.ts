// Conversations: a user's talks with the AI about one of their projects. The projects service
// decides whether the project is theirs (asked through the router, as the user); after that a
// conversation follows the kit's ownership rule: its owner changes it, admins read it, anyone
// else gets NOT_FOUND.
import { changeable, isUuid, notFound, optionalText, readable, requiredText, type Identity, type Viewer } from '@builderai/kit';
import type { ProjectAccess } from '@builderai/projects/access';
import type { Conversation, Message, PrismaClient } from '../generated/prisma/client.ts';
import { conversationCursor, pageOf, pageSize, parseConversationCursor, type ConversationPage } from './pages.js';

export const TITLE_MAX = 200;
const DEFAULT_TITLE = 'New conversation';

export interface ConversationsDeps {
  db: PrismaClient;
  projectAccess: ProjectAccess;
}

async function find(db: PrismaClient, id: string): Promise<Conversation | null> {
  return isUuid(id) ? db.conversation.findUnique({ where: { id } }) : null;
}

/** The conversation if the viewer may read it; NOT_FOUND otherwise. */
export const readableConversation = async (db: PrismaClient, viewer: Viewer, id: string) => readable(viewer, await find(db, id), 'Conversation');

/** The conversation if the viewer owns it. */
export const ownConversation = async (db: PrismaClient, viewer: Viewer, id: string) => changeable(viewer, await find(db, id), 'Conversation');

/** A message of one of the viewer's own conversations, with it; NOT_FOUND otherwise. */
export async function ownMessage(db: PrismaClient, viewer: Viewer, id: string): Promise<{ message: Message; conversation: Conversation }> {
  const message = isUuid(id) ? await db.message.findUnique({ where: { id } }) : null;
  if (!message) throw notFound('Message');
  return { message, conversation: await ownConversation(db, viewer, message.conversationId) };
}

export async function createConversation(deps: ConversationsDeps, identity: Identity, userId: string, input: { projectId: string; title?: string | null }, requestId?: string) {
  const title = optionalText(input.title ?? null, 'title', TITLE_MAX) ?? DEFAULT_TITLE;
  await deps.projectAccess.assertCanUse(identity, input.projectId, requestId);
  return deps.db.conversation.create({ data: { userId, projectId: input.projectId.toLowerCase(), title } });
}

export async function renameConversation(db: PrismaClient, viewer: Viewer, id: string, rawTitle: string) {
  const title = requiredText(rawTitle, 'title', TITLE_MAX);
  const conversation = await ownConversation(db, viewer, id);
  return db.conversation.update({ where: { id: conversation.id }, data: { title } });
}

export async function deleteConversation(db: PrismaClient, viewer: Viewer, id: string): Promise<string> {
  const conversation = await ownConversation(db, viewer, id);
  // Messages and contexts go with it (ON DELETE CASCADE); a concurrent delete already did the work.
  const { count } = await db.conversation.deleteMany({ where: { id: conversation.id } });
  if (count === 0) throw notFound('Conversation');
  return conversation.id;
}

/** A project's conversations that the viewer may read (theirs; everyone's for an admin), newest first. */
export async function projectConversations(db: PrismaClient, viewer: Viewer, projectId: string, first: number | null | undefined, after: string | null | undefined): Promise<ConversationPage> {
  const size = pageSize(first, 20);
  if (!viewer.userId) return pageOf([], size, conversationCursor);
  const position = after ? parseConversationCursor(after) : undefined;
  const rows = await db.conversation.findMany({
    where: {
      projectId,
      ...(viewer.isAdmin ? {} : { userId: viewer.userId }),
      ...(position && { OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, id: { lt: position.id } }] }),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: size + 1,
  });
  return pageOf(rows, size, conversationCursor);
}

// The messages of a conversation form a tree (a message follows its parent; an edited question
// or a regenerated answer is a sibling), and the conversation shows one branch of it: the path
// from the first message to its current leaf. Writes take the conversation's row lock, so two
// messages sent at once land one after the other on the branch, never as accidental siblings.
import { badUserInput, forbidden, requiredText, type Viewer } from '@builderai/kit';
import type { Conversation, Message, PrismaClient } from '../generated/prisma/client.ts';
import { ownConversation, ownMessage } from './conversations.js';
import { messageCursor, pageOf, pageSize, parseMessageCursor, type MessagePage } from './pages.js';

export const CONTENT_MAX = 32_000;
type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** The ids of the branch ending at `leafId`, first message first. */
export async function branchIds(db: PrismaClient | Tx, conversationId: string, leafId: string | null): Promise<string[]> {
  if (!leafId) return [];
  const rows = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `WITH RECURSIVE branch AS (
       SELECT id, parent_id, 0 AS depth FROM messages WHERE id = $1::uuid AND conversation_id = $2::uuid
       UNION ALL
       SELECT m.id, m.parent_id, b.depth + 1 FROM messages m JOIN branch b ON m.id = b.parent_id
     )
     SELECT id::text FROM branch ORDER BY depth DESC`,
    leafId,
    conversationId,
  );
  return rows.map((row) => row.id);
}

/** The branch being shown, oldest first, a page at a time. */
export async function branchPage(db: PrismaClient, conversation: Conversation, first: number | null | undefined, after: string | null | undefined): Promise<MessagePage> {
  const size = pageSize(first, 50);
  const ids = await branchIds(db, conversation.id, conversation.currentLeafId);
  let start = 0;
  if (after) {
    const at = ids.indexOf(parseMessageCursor(after));
    if (at < 0) throw badUserInput('after is not a message of the branch being shown', 'after');
    start = at + 1;
  }
  const wanted = ids.slice(start, start + size + 1);
  const rows = wanted.length ? await db.message.findMany({ where: { id: { in: wanted } } }) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return pageOf(wanted.map((id) => byId.get(id)!).filter(Boolean), size, messageCursor);
}

/** Locks the conversation for a change of its tree; returns it as it is now. */
const locked = (tx: Tx, id: string) => tx.conversation.update({ where: { id }, data: { updatedAt: new Date() } });

/** Checks the conversation is the viewer's and the message's content; returns both. */
export async function checkSend(db: PrismaClient, viewer: Viewer, input: { conversationId: string; content: string }) {
  const content = requiredText(input.content, 'content', CONTENT_MAX);
  return { conversation: await ownConversation(db, viewer, input.conversationId), content };
}

/**
 * What a turn starts from: the user's message (new at the end of the branch being shown, or an
 * edit after `parentId`), or an earlier message of theirs that gets another answer.
 */
export type TurnStart = { conversation: Conversation } & ({ content: string; /** The message it follows (an edit's); the branch's end by default. */ parentId?: string | null } | { answerTo: Message });

/**
 * A turn: the user's message when it is new, and the AI's answer to it, PENDING, after it. The
 * answer is what the branch shows now. `then` runs in the same transaction (the job that will
 * write the answer).
 */
export async function appendTurn(
  db: PrismaClient,
  viewer: Viewer,
  turn: TurnStart & { model: string; actingFor?: string },
  then: (tx: Tx, answer: Message) => Promise<unknown>,
): Promise<{ question: Message; answer: Message }> {
  return db.$transaction(async (tx) => {
    const current = await locked(tx, turn.conversation.id);
    const question =
      'answerTo' in turn
        ? turn.answerTo
        : await tx.message.create({
            data: { conversationId: current.id, parentId: turn.parentId === undefined ? current.currentLeafId : turn.parentId, sender: 'USER', authorId: viewer.userId, content: turn.content },
          });
    const answer = await tx.message.create({ data: { conversationId: current.id, parentId: question.id, sender: 'ASSISTANT', content: '', status: 'PENDING', metadata: { model: turn.model }, actingFor: turn.actingFor ?? null } });
    await tx.conversation.update({ where: { id: current.id }, data: { currentLeafId: answer.id } });
    await then(tx, answer);
    return { question, answer };
  });
}

/** Checks the message is the viewer's own and the new content; the edit is a new turn after its parent (appendTurn). */
export async function checkEdit(db: PrismaClient, viewer: Viewer, id: string, rawContent: string) {
  const content = requiredText(rawContent, 'content', CONTENT_MAX);
  const { message: original, conversation } = await ownMessage(db, viewer, id);
  if (original.sender !== 'USER') throw badUserInput('Only your own messages can be edited', 'id');
  if (original.authorId !== viewer.userId) throw forbidden('Only the author may edit a message');
  return { conversation, content, parentId: original.parentId };
}

/** Checks the message is an answer of the AI in one of the viewer's conversations; returns it, its question and the conversation. */
export async function checkRegenerate(db: PrismaClient, viewer: Viewer, id: string) {
  const { message: previous, conversation } = await ownMessage(db, viewer, id);
  const question = previous.sender === 'ASSISTANT' && previous.parentId ? await db.message.findUnique({ where: { id: previous.parentId } }) : null;
  if (!question || question.sender !== 'USER') throw badUserInput('Only an answer of the AI to a message can be regenerated', 'id');
  return { conversation, answerTo: question, previous };
}

/** Shows the branch through `messageId` that always follows the newest reply. */
export async function selectBranch(db: PrismaClient, viewer: Viewer, messageId: string): Promise<Conversation> {
  const { message, conversation } = await ownMessage(db, viewer, messageId);
  return db.$transaction(async (tx) => {
    await locked(tx, conversation.id);
    const [leaf] = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `WITH RECURSIVE down AS (
         SELECT id, 0 AS depth FROM messages WHERE id = $1::uuid
         UNION ALL
         SELECT newest.id, d.depth + 1 FROM down d
         CROSS JOIN LATERAL (SELECT id FROM messages WHERE parent_id = d.id ORDER BY created_at DESC, id DESC LIMIT 1) newest
       )
       SELECT id::text FROM down ORDER BY depth DESC LIMIT 1`,
      message.id,
    );
    return tx.conversation.update({ where: { id: conversation.id }, data: { currentLeafId: leaf!.id } });
  });
}

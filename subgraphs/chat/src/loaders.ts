// Per-request batching: however many conversations and messages one request touches, each
// kind of row costs one SQL query.
import { batchBy, batchManyBy } from '@builderai/kit';
import type { Conversation, Message, PrismaClient, ToolCall } from './generated/prisma/client.ts';

export const createLoaders = (db: PrismaClient) => ({
  conversation: batchBy((row: Conversation) => row.id, (ids) => db.conversation.findMany({ where: { id: { in: ids } } })),
  message: batchBy((row: Message) => row.id, (ids) => db.message.findMany({ where: { id: { in: ids } } })),
  /** The replies to each message, oldest first. */
  children: batchManyBy(
    (row: Message) => row.parentId!,
    (ids) => db.message.findMany({ where: { parentId: { in: ids } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  ),
  /** The first messages of each conversation (several once the first one is edited), oldest first. */
  roots: batchManyBy(
    (row: Message) => row.conversationId,
    (ids) => db.message.findMany({ where: { conversationId: { in: ids }, parentId: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  ),
  /** The tool calls of each answer, in the order made. */
  toolCalls: batchManyBy(
    (row: ToolCall) => row.messageId,
    (ids) => db.toolCall.findMany({ where: { messageId: { in: ids } }, orderBy: { position: 'asc' } }),
  ),
});

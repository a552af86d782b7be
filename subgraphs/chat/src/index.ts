// The chat subgraph: users' conversations with the AI about their projects, and their messages.
import { defineSubgraph, isMain, runService } from '@builderai/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { createChatContext, setupChat } from './context.js';
import { projectEventsConsumer } from './consumers.js';
import { resolvers } from './resolvers/index.js';

const chat = defineSubgraph({
  name: 'chat',
  resolvers,
  database: PrismaClient,
  setup: setupChat,
  context: createChatContext,
  consumes: [projectEventsConsumer],
});
export default chat;

if (isMain(import.meta.url)) void runService(chat);

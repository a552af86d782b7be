// The chat subgraph: users' conversations with the AI about their projects, and their messages.
import { defineSubgraph, isMain, runService } from '@builderai/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { createChatContext, setupChat } from './context.js';
import { answerJobsConsumer, projectEventsConsumer } from './consumers.js';
import { loadChatConfig } from './config.js';
import { resolvers } from './resolvers/index.js';

const chat = defineSubgraph({
  name: 'chat',
  resolvers,
  config: loadChatConfig,
  database: PrismaClient,
  setup: setupChat,
  context: createChatContext,
  consumes: [projectEventsConsumer, answerJobsConsumer],
});
export default chat;

if (isMain(import.meta.url)) void runService(chat);

// The users subgraph: profiles, account settings and stats of BuilderAI users.
import { defineSubgraph, isMain, runService } from '@builderai/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { authEventsConsumer } from './consumers.js';
import { createUsersContext } from './context.js';
import { resolvers } from './resolvers/index.js';

const users = defineSubgraph({
  name: 'users',
  resolvers,
  database: PrismaClient,
  context: createUsersContext,
  consumes: [authEventsConsumer],
});
export default users;

if (isMain(import.meta.url)) void runService(users);

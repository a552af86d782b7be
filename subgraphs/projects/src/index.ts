// The projects subgraph: the applications BuilderAI users build by chatting with the AI,
// their configuration and lifecycle.
import { defineSubgraph, isMain, runService } from '@builderai/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { loadProjectsConfig } from './config.js';
import { chatEventsConsumer } from './consumers.js';
import { createProjectsContext } from './context.js';
import { resolvers } from './resolvers/index.js';

const projects = defineSubgraph({
  name: 'projects',
  resolvers,
  config: loadProjectsConfig,
  database: PrismaClient,
  context: createProjectsContext,
  consumes: [chatEventsConsumer],
  // Ended generations are kept only to recognise their late events: a month is far past any retry.
  retention: () => [{ table: 'project_generations', column: 'ended_at', keepMs: 30 * 24 * 60 * 60 * 1000 }],
});
export default projects;

if (isMain(import.meta.url)) void runService(projects);

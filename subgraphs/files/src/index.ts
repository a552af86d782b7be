// The files subgraph: the files of users' projects, their storage (S3 or local disk), quotas,
// signed upload, download and preview URLs.
import { defineSubgraph, isMain, runService } from '@builderai/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { loadFilesConfig } from './config.js';
import { projectEventsConsumer } from './consumers.js';
import { createFilesContext } from './context.js';
import { filesRoutes } from './http/routes.js';
import { resolvers } from './resolvers/index.js';
import { setupFiles } from './setup.js';
import { sweep } from './sweep.js';

const files = defineSubgraph({
  name: 'files',
  resolvers,
  config: loadFilesConfig,
  database: PrismaClient,
  setup: setupFiles,
  context: createFilesContext,
  consumes: [projectEventsConsumer],
  routes: filesRoutes,
  periodic: (deps) => ({ sweep: { intervalMs: deps.config.sweepIntervalSeconds * 1000, run: () => sweep(deps) } }),
  readiness: ({ storage }) => ({ storage: () => storage.ping() }),
});
export default files;

if (isMain(import.meta.url)) void runService(files);

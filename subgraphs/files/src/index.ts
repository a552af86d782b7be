// The files subgraph: the files of users' projects, their storage (S3 or local disk), quotas,
// signed upload, download and preview URLs.
import { defineSubgraph, isMain, runService, type RouteHandler } from '@builderai/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { loadFilesConfig } from './config.js';
import { projectEventsConsumer } from './consumers.js';
import { createFilesContext } from './context.js';
import { DOWNLOAD_PATH, PREVIEW_PREFIX } from './domain/links.js';
import { downloadRoute } from './http/download-route.js';
import { previewRoute } from './http/preview-route.js';
import { uploadRoute } from './http/upload-route.js';
import { resolvers } from './resolvers/index.js';
import { setupFiles } from './setup.js';
import { isLocalDisk, UPLOAD_PATH } from './storage/local-disk-storage.js';
import { sweep } from './sweep.js';

const files = defineSubgraph({
  name: 'files',
  schema: new URL('../schema.graphql', import.meta.url),
  resolvers,
  config: loadFilesConfig,
  database: (adapter) => new PrismaClient({ adapter }),
  setup: setupFiles,
  context: createFilesContext,
  consumes: [projectEventsConsumer],
  routes: (deps) => {
    const routes: Record<string, RouteHandler> = { [DOWNLOAD_PATH]: downloadRoute(deps), [`${PREVIEW_PREFIX}*`]: previewRoute(deps) };
    // With S3, clients upload to the bucket; on local disk, to the service itself.
    if (isLocalDisk(deps.storage)) routes[UPLOAD_PATH] = uploadRoute(deps, deps.storage);
    return routes;
  },
  periodic: (deps) => ({ sweep: { intervalMs: deps.config.sweepIntervalSeconds * 1000, run: () => sweep(deps) } }),
  readiness: ({ storage }) => ({ storage: () => storage.ping() }),
});
export default files;

if (isMain(import.meta.url)) void runService(files);

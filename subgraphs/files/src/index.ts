// The files subgraph: the files of users' projects, their storage (S3 or local disk), quotas,
// signed upload, download and preview URLs.
import { fileURLToPath } from 'node:url';
import {
  databaseCheck,
  isMain,
  prismaAdapter,
  runService,
  startOutboxRelay,
  startServiceRetention,
  startSubgraph,
  type CreateService,
  type RouteHandler,
  type Subscription,
} from '@builderai/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { loadFilesConfig } from './config.js';
import { createFilesContext } from './context.js';
import type { FilesDeps } from './deps.js';
import { createLinks, DOWNLOAD_PATH, PREVIEW_PREFIX } from './domain/links.js';
import { projectAccessThroughRouter } from './domain/project-access.js';
import { createTokenSigner } from './domain/signed-tokens.js';
import { consumeProjectEvents } from './events.js';
import { downloadRoute } from './http/download-route.js';
import { previewRoute } from './http/preview-route.js';
import { uploadRoute } from './http/upload-route.js';
import { resolvers } from './resolvers/index.js';
import { createStorage } from './storage/create-storage.js';
import { isLocalDisk, UPLOAD_PATH } from './storage/local-disk-storage.js';
import { startSweeper, type Sweeper } from './sweeper.js';

const schemaFile = fileURLToPath(new URL('../schema.graphql', import.meta.url));

export const createFilesSubgraph: CreateService = async ({ env, infra, logger, databaseUrl, internalSecret, routerUrl }) => {
  const config = loadFilesConfig(env);
  const prisma = new PrismaClient({ adapter: prismaAdapter({ url: databaseUrl }) });
  const relay = startOutboxRelay({ db: prisma, bus: infra.bus, logger });
  const retention = startServiceRetention(env, prisma, logger);
  const tokens = createTokenSigner(internalSecret);

  // The service's own address is known once it listens; FILES_PUBLIC_URL overrides it.
  let ownUrl: string | undefined;
  const publicUrl = () => {
    const url = config.publicUrl ?? ownUrl;
    if (!url) throw new Error('the files service is not listening yet');
    return url;
  };
  const storage = createStorage(config, tokens, publicUrl);
  if (config.storage.kind === 's3') logger.info({ bucket: config.storage.s3.bucket, endpoint: config.storage.s3.endpoint ?? 'AWS' }, 'files stored in S3');
  else logger.info({ dir: config.storage.dir }, 'S3_BUCKET not set: files stored on local disk (embedded mode)');

  const deps: FilesDeps = {
    db: prisma,
    storage,
    config,
    tokens,
    links: createLinks({
      tokens,
      publicUrl,
      previewUrl: () => config.previewUrl ?? publicUrl(),
      downloadTtlSeconds: config.downloadTtlSeconds,
      previewTtlSeconds: config.previewTtlSeconds,
    }),
    projectAccess: projectAccessThroughRouter({ routerUrl, secret: internalSecret }),
    logger,
    publishEvents: relay.nudge,
  };

  let consumer: Subscription | undefined;
  let sweeper: Sweeper | undefined;
  // Stops what has started, in reverse order. Unpublished events wait in the outbox for the next start.
  const stop = async () => {
    await sweeper?.stop();
    await consumer?.close();
    await retention.stop();
    await relay.stop();
    await prisma.$disconnect();
  };

  try {
    consumer = await consumeProjectEvents(infra.bus, deps);
    sweeper = startSweeper(deps, config.sweepIntervalSeconds * 1000);
    const routes: Record<string, RouteHandler> = { [DOWNLOAD_PATH]: downloadRoute(deps), [`${PREVIEW_PREFIX}*`]: previewRoute(deps) };
    // With S3, clients upload to the bucket; on local disk, to the service itself.
    if (isLocalDisk(storage)) routes[UPLOAD_PATH] = uploadRoute(deps, storage);

    const subgraph = await startSubgraph({
      name: 'files',
      schemaFile,
      resolvers,
      port: config.port,
      host: config.host,
      internalSecret,
      maxBodyBytes: config.maxBodyBytes,
      logger,
      createContext: (base) => createFilesContext(base, deps),
      readiness: { database: databaseCheck(prisma), storage: () => storage.ping(), ...infra.readiness },
      routes,
      onClose: stop,
    });
    ownUrl = subgraph.url;
    return subgraph;
  } catch (error) {
    await stop();
    throw error;
  }
};

if (isMain(import.meta.url)) void runService('files', createFilesSubgraph);

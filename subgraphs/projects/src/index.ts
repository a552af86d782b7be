// The projects subgraph: the applications BuilderAI users build by chatting with the AI,
// their configuration, lifecycle and files.
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
  type Subscription,
} from '@builderai/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { loadProjectsConfig } from './config.js';
import { createProjectsContext } from './context.js';
import { consumeEvents } from './events.js';
import { resolvers } from './resolvers/index.js';

const schemaFile = fileURLToPath(new URL('../schema.graphql', import.meta.url));

export const createProjectsSubgraph: CreateService = async ({ env, infra, logger, databaseUrl, internalSecret }) => {
  const config = loadProjectsConfig(env);
  const prisma = new PrismaClient({ adapter: prismaAdapter({ url: databaseUrl }) });
  const relay = startOutboxRelay({ db: prisma, bus: infra.bus, logger });
  const retention = startServiceRetention(env, prisma, logger);
  let consumers: Subscription[] = [];

  // Stops what has started, in reverse order. Unpublished events wait in the outbox for the next start.
  const stop = async () => {
    await Promise.all(consumers.map((consumer) => consumer.close()));
    await retention.stop();
    await relay.stop();
    await prisma.$disconnect();
  };

  try {
    consumers = await consumeEvents(infra.bus, prisma, logger);
    return await startSubgraph({
      name: 'projects',
      schemaFile,
      resolvers,
      port: config.port,
      host: config.host,
      internalSecret,
      maxBodyBytes: config.maxBodyBytes,
      logger,
      createContext: (base) => createProjectsContext(base, prisma, config.llms, relay.nudge),
      readiness: { database: databaseCheck(prisma), ...infra.readiness },
      onClose: stop,
    });
  } catch (error) {
    await stop();
    throw error;
  }
};

if (isMain(import.meta.url)) void runService('projects', createProjectsSubgraph);

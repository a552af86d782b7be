// The users subgraph: profiles, account settings and stats of BuilderAI users.
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
import { loadUsersConfig } from './config.js';
import { createUsersContext } from './context.js';
import { consumeAuthEvents } from './events.js';
import { resolvers } from './resolvers/index.js';

const schemaFile = fileURLToPath(new URL('../schema.graphql', import.meta.url));

export const createUsersSubgraph: CreateService = async ({ env, infra, logger, databaseUrl, internalSecret }) => {
  const config = loadUsersConfig(env);
  const prisma = new PrismaClient({ adapter: prismaAdapter({ url: databaseUrl }) });
  const relay = startOutboxRelay({ db: prisma, bus: infra.bus, logger });
  const retention = startServiceRetention(env, prisma, logger);
  let consumer: Subscription | undefined;

  // Stops what has started, in reverse order. Unpublished events wait in the outbox for the next start.
  const stop = async () => {
    await consumer?.close();
    await retention.stop();
    await relay.stop();
    await prisma.$disconnect();
  };

  try {
    consumer = await consumeAuthEvents(infra.bus, prisma, logger);
    return await startSubgraph({
      name: 'users',
      schemaFile,
      resolvers,
      port: config.port,
      host: config.host,
      internalSecret,
      maxBodyBytes: config.maxBodyBytes,
      logger,
      createContext: (base) => createUsersContext(base, prisma, relay.nudge),
      readiness: { database: databaseCheck(prisma), ...infra.readiness },
      onClose: stop,
    });
  } catch (error) {
    await stop();
    throw error;
  }
};

if (isMain(import.meta.url)) void runService('users', createUsersSubgraph);

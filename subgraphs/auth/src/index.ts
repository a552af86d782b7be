// The auth subgraph: credentials, sessions, refresh tokens and the keys that sign access tokens.
import {
  databaseCheck,
  isMain,
  prismaAdapter,
  runService,
  startOutboxRelay,
  startServiceRetention,
  startSubgraph,
  type CreateService,
  type Retention,
} from '@builderai/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { loadAuthConfig } from './config.js';
import { createAuthContext, type AuthContext } from './context.js';
import { resolvers } from './resolvers/index.js';
import { createAccounts } from './domain/accounts.js';
import { createPasswordHasher } from './domain/passwords.js';
import { createLoginThrottle } from './domain/login-throttle.js';
import { keyRingFromDatabase, keyRingFromPem } from './domain/signing-keys.js';
import { createAccessTokenIssuer } from './domain/tokens.js';
import { JWKS_PATH, jwksRoute } from './jwks.js';
import { authRetentionRules } from './domain/retention.js';

export { JWKS_PATH };

export const createAuthSubgraph: CreateService = async ({ env, infra, logger, databaseUrl, internalSecret }) => {
  const config = loadAuthConfig(env);
  const prisma = new PrismaClient({ adapter: prismaAdapter({ url: databaseUrl }) });
  let relay: ReturnType<typeof startOutboxRelay> | undefined;
  let retention: Retention | undefined;
  const release = async () => {
    await retention?.stop();
    await relay?.stop();
    await prisma.$disconnect();
  };

  try {
    const { tokens } = config;
    const keys = tokens.signingKeyPem
      ? await keyRingFromPem(tokens.signingKeyPem)
      : await keyRingFromDatabase(prisma, tokens.accessTtlSeconds * 1000);
    relay = startOutboxRelay({ db: prisma, bus: infra.bus, logger });
    retention = startServiceRetention(env, prisma, logger, authRetentionRules(config.expiredRetentionDays));
    const accounts = createAccounts({
      prisma,
      store: infra.store,
      pubsub: infra.pubsub,
      passwords: await createPasswordHasher(config.argon2),
      accessTokens: createAccessTokenIssuer(keys, { issuer: tokens.issuer, audience: tokens.audience, ttlSeconds: tokens.accessTtlSeconds }),
      throttle: createLoginThrottle(infra.store, config.throttle),
      settings: {
        accessTtlSeconds: tokens.accessTtlSeconds,
        refreshTtlSeconds: tokens.refreshTtlSeconds,
        refreshReuseGraceSeconds: tokens.refreshReuseGraceSeconds,
        passwordResetTtlSeconds: config.passwordReset.ttlSeconds,
        passwordResetRequestsPerHour: config.passwordReset.requestsPerHour,
      },
      eventsRecorded: relay.nudge,
      log: logger,
    });

    return await startSubgraph<AuthContext>({
      name: 'auth',
      schemaFile: new URL('../schema.graphql', import.meta.url),
      resolvers,
      port: config.port,
      host: config.host,
      internalSecret,
      maxBodyBytes: config.maxBodyBytes,
      logger,
      createContext: (base) => createAuthContext(base, { prisma, accounts }),
      readiness: { database: databaseCheck(prisma), ...infra.readiness },
      routes: { [JWKS_PATH]: jwksRoute(keys) },
      onClose: release,
    });
  } catch (error) {
    await release();
    throw error;
  }
};

if (isMain(import.meta.url)) void runService('auth', createAuthSubgraph);

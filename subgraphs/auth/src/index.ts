// The auth subgraph: credentials, sessions, refresh tokens and the keys that sign access tokens.
import { defineSubgraph, isMain, runService } from '@builderai/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { loadAuthConfig } from './config.js';
import { createAuthContext } from './context.js';
import { authRetentionRules } from './domain/retention.js';
import { JWKS_PATH, jwksRoute } from './jwks.js';
import { resolvers } from './resolvers/index.js';
import { setupAuth } from './setup.js';

export { JWKS_PATH };

const auth = defineSubgraph({
  name: 'auth',
  resolvers,
  config: loadAuthConfig,
  database: PrismaClient,
  setup: setupAuth,
  context: createAuthContext,
  routes: ({ keys }) => ({ [JWKS_PATH]: jwksRoute(keys) }),
  retention: ({ config }) => authRetentionRules(config.expiredRetentionDays),
});
export default auth;

if (isMain(import.meta.url)) void runService(auth);

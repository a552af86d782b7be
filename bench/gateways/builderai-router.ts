// Our router, started through its own createRouter() with the bench supergraph. Everything else
// comes from the environment scripts/bench-router.ts gives it, exactly as in production:
// REDIS_URL (the store behind rate limits and session revocation; without it, the in-process
// store), AUTH_JWKS_URL, RATE_LIMIT_*, MAX_DEPTH/MAX_COST, ROUTER_PORT.
import { readFileSync } from 'node:fs';
import { connectInfrastructure, createLogger, infrastructureEnv, loadConfig, routerKeysFrom } from '@builderai/kit';
import { createRouter } from '@builderai/router';

const env = process.env;
const logger = createLogger('router', env.LOG_LEVEL);
const infra = await connectInfrastructure(loadConfig(infrastructureEnv, env), logger);
const router = await createRouter({
  // Its internal listener (services' calls) is not part of the benchmark: any free port.
  env: { ROUTER_INTERNAL_PORT: '0', ...env },
  infra,
  logger,
  keys: routerKeysFrom(env, logger),
  supergraphSdl: readFileSync(env.BENCH_SUPERGRAPH!, 'utf8'),
});
console.log(`builderai-router ready at ${router.graphqlUrl}`);

// A normal exit, so --cpu-prof (when asked for) gets written.
const stop = async () => {
  await router.close();
  await infra.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());

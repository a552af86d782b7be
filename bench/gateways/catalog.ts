// The gateways the benchmark runs, in order, each a command for its own child process on the
// same port with the same supergraph file. The plain @apollo/gateway and Hive Gateway run with
// their defaults; our router runs with the settings it has in production, twice.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateKeys, keysAsEnv } from '@builderai/kit';
import { routerEnv } from '../../router/src/config.js';
import { ROUTER_NODE_OPTIONS } from './router-node-options.js';

export interface GatewayRun {
  id: string;
  label: string;
  /** Arguments to `node`. */
  args: string[];
  env: Record<string, string>;
  /** Sent with every request of the load; several (comma-separated) are spread over the connections. */
  authorization?: string;
  note?: string;
}

export interface GatewayContext {
  root: string;
  port: number;
  supergraphFile: string;
  jwksUrl: string;
  token: string;
  /** One token per connection of the load: as many users. */
  userTokens: string[];
  redisUrl: string;
}

// Read from node_modules directly: some packages do not export their package.json.
const versionOf = (root: string, name: string) => (JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const typescript = (root: string, file: string) => ['--import', 'tsx', path.join(root, 'bench/gateways', file)];

/** Whether the router has a switch that turns rate limiting off (otherwise limits are only set out of reach). */
export const ROUTER_LIMIT_SWITCH = 'RATE_LIMIT_ENABLED';
const routerHasLimitSwitch = ROUTER_LIMIT_SWITCH in routerEnv.shape;

export function gatewayRuns(context: GatewayContext): GatewayRun[] {
  const { root, port, supergraphFile } = context;
  const common = { NODE_ENV: 'production', BENCH_PORT: String(port), BENCH_SUPERGRAPH: supergraphFile };
  const hive = [path.join(root, 'node_modules/.bin/hive-gateway'), 'supergraph', supergraphFile, '--host', '127.0.0.1', '--port', String(port)];
  const router = {
    ...common,
    ROUTER_PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...keysAsEnv(generateKeys()),
    AUTH_JWKS_URL: context.jwksUrl,
    EXPLORER_ENABLED: 'false',
    // The router publishes no events: the in-process bus, whatever the shell has set.
    AMQP_URL: '',
    // As docker-compose.yml runs it: a young generation large enough that a plan's data dies young.
    NODE_OPTIONS: ROUTER_NODE_OPTIONS,
    // The benchmark operation is 8 levels deep (the default limit is 12) but costs 118,810 by
    // the router's estimate, every list counted as 10 items; the default budget is 5000.
    MAX_COST: '1000000000',
    // Far out of reach: the bench measures what checking limits costs, not refusals.
    RATE_LIMIT_ANONYMOUS: '1000000000',
    RATE_LIMIT_AUTHENTICATED: '1000000000',
    RATE_LIMIT_PER_IP: '1000000000',
  };
  return [
    {
      id: 'apollo-gateway',
      label: `@apollo/gateway ${versionOf(root, '@apollo/gateway')} + @apollo/server ${versionOf(root, '@apollo/server')}`,
      args: typescript(root, 'apollo-gateway.ts'),
      env: common,
    },
    { id: 'hive-gateway', label: `Hive Gateway ${versionOf(root, '@graphql-hive/gateway')}`, args: hive, env: common },
    { id: 'hive-gateway-jit', label: `Hive Gateway ${versionOf(root, '@graphql-hive/gateway')} --jit`, args: [...hive, '--jit'], env: common },
    {
      id: 'builderai-router-off',
      label: 'BuilderAI router, auth+limits off',
      args: typescript(root, 'builderai-router.ts'),
      // No token; no Redis, so limits (when they run at all) count in process memory.
      env: { ...router, REDIS_URL: '', [ROUTER_LIMIT_SWITCH]: 'false' },
      note: routerHasLimitSwitch
        ? `anonymous requests, ${ROUTER_LIMIT_SWITCH}=false`
        : `anonymous requests; the router has no ${ROUTER_LIMIT_SWITCH} switch yet, so limits still count, in process memory instead of Redis`,
    },
    {
      id: 'builderai-router-on',
      label: 'BuilderAI router, auth+limits on',
      args: typescript(root, 'builderai-router.ts'),
      env: { ...router, REDIS_URL: context.redisUrl },
      authorization: `Bearer ${context.token}`,
      note: `EdDSA access token verified against a JWKS; session revocation and rate limits in Redis (${context.redisUrl})`,
    },
    {
      id: 'builderai-router-users',
      label: `BuilderAI router, auth+limits on, ${context.userTokens.length} users`,
      args: typescript(root, 'builderai-router.ts'),
      env: { ...router, REDIS_URL: context.redisUrl },
      authorization: context.userTokens.map((token) => `Bearer ${token}`).join(','),
      note: `production settings; each connection is another user with a token and session of its own, so no two requests share an execution: the workload of many users`,
    },
    {
      id: 'builderai-router-no-dedup',
      label: 'BuilderAI router, auth+limits on, no shared execution',
      args: typescript(root, 'builderai-router.ts'),
      env: { ...router, REDIS_URL: context.redisUrl, QUERY_DEDUP_ENABLED: 'false' },
      authorization: `Bearer ${context.token}`,
      note: 'as above with QUERY_DEDUP_ENABLED=false: every request executes its own query plan (what identical concurrent queries would cost without sharing)',
    },
    {
      id: 'ceiling',
      label: 'ceiling: the plan\'s I/O and JSON only',
      args: typescript(root, 'ceiling.ts'),
      env: common,
      note: "not a gateway: per request it parses the body, sends the router's subgraph requests in the plan's order over undici pools, parses every answer and writes a stored answer with JSON.stringify (bench/gateways/ceiling.ts); no validation, merging or shaping: the least work a Node gateway does for this plan",
    },
    {
      id: 'builderai-router-no-dedup-gateway-executor',
      label: "BuilderAI router, auth+limits on, no shared execution, @apollo/gateway's executor",
      args: typescript(root, 'builderai-router.ts'),
      env: { ...router, REDIS_URL: context.redisUrl, QUERY_DEDUP_ENABLED: 'false', ROUTER_EXECUTOR: 'gateway' },
      authorization: `Bearer ${context.token}`,
      note: "as above with ROUTER_EXECUTOR=gateway: plans run by @apollo/gateway's executor instead of the router's own",
    },
  ];
}

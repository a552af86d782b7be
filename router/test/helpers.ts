// What the router's tests run against: two small subgraphs served by the kit (so identity
// checks are the real ones), an auth-like JWKS server with its signing key, and routers on
// free ports sharing the run's Redis.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import {
  connectInfrastructure,
  createLogger,
  generateKeys,
  signIdentity,
  type Identity,
  startSubgraph,
  type Infrastructure,
  type RouterKeys,
  type RequestContext,
  type RunningSubgraph,
} from '@builderai/kit';
import { composeSupergraph } from '../src/composition.js';
import { createRouter, type RunningRouter } from '../src/index.js';

export const FIXTURES_ROOT = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const logger = createLogger('router-test', 'silent');

export const uniqueIp = () => `10.${[...randomBytes(3)].join('.')}`;
export const uniqueUserId = () => `user-${randomUUID()}`;

export interface FixtureSubgraphs {
  accounts: RunningSubgraph;
  catalog: RunningSubgraph;
  /** GraphQL requests that reached any fixture subgraph. */
  calls(): number;
  urls: Record<string, string>;
  close(): Promise<void>;
}

export async function startFixtureSubgraphs(keys: RouterKeys): Promise<FixtureSubgraphs> {
  let calls = 0;
  const common = {
    port: 0,
    identityPublicKey: keys.identityPublicKey,
    maxBodyBytes: 1_000_000,
    logger,
    createContext: (base: RequestContext) => {
      calls += 1;
      return base;
    },
  };
  const item = (id: string) => ({ id, name: `item ${id}`, title: `item ${id}` });
  const accounts = await startSubgraph({
    ...common,
    name: 'accounts',
    schemaFile: new URL('./fixtures/accounts.graphql', import.meta.url),
    resolvers: {
      Query: {
        whoami: (_: unknown, __: unknown, { identity, requestId, userAgent }: RequestContext) => ({ ...identity, requestId, userAgent }),
      },
      Mutation: {
        login: (_: unknown, { email }: { email: string }) => `token for ${email}`,
        register: (_: unknown, { email }: { email: string }) => `welcome ${email}`,
        requestPasswordReset: () => true,
        completeSignIn: (_: unknown, { provider }: { provider: string }) => `signed in with ${provider}`,
        touch: () => true,
      },
    },
  });
  const catalog = await startSubgraph({
    ...common,
    name: 'catalog',
    schemaFile: new URL('./fixtures/catalog.graphql', import.meta.url),
    resolvers: {
      Query: {
        items: (_: unknown, { first }: { first?: number }) => Array.from({ length: first ?? 3 }, (_, i) => item(String(i + 1))),
        item: (_: unknown, { id }: { id: string }) => item(id),
      },
      Item: {
        __resolveReference: ({ id }: { id: string }) => item(id),
        related: (_: unknown, { first }: { first?: number }) => Array.from({ length: first ?? 2 }, (_, i) => item(`r${i + 1}`)),
      },
    },
  });
  return {
    accounts,
    catalog,
    calls: () => calls,
    urls: { accounts: accounts.graphqlUrl, catalog: catalog.graphqlUrl },
    async close() {
      await accounts.close();
      await catalog.close();
    },
  };
}

export const fixtureSupergraphSdl = () => composeSupergraph(FIXTURES_ROOT).supergraphSdl;

export interface FixtureAuth {
  jwksUrl: string;
  /** An access token shaped like auth's; `expiresIn` in seconds (negative: already expired). */
  issue(claims: { sub: string; sid: string; roles?: string[] }, options?: { expiresIn?: number; key?: CryptoKey; kid?: string }): Promise<string>;
  /** A key the JWKS does not publish. */
  strangerKey: CryptoKey;
  jwksRequests(): number;
  close(): Promise<void>;
}

export async function startFixtureAuth(): Promise<FixtureAuth> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const stranger = await generateKeyPair('EdDSA');
  const kid = 'test-key-1';
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }] });
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    strangerKey: stranger.privateKey,
    jwksRequests: () => requests,
    async issue({ sub, sid, roles = ['user'] }, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sid, roles })
        .setProtectedHeader({ alg: 'EdDSA', kid: options.kid ?? kid, typ: 'JWT' })
        .setSubject(sub)
        .setIssuer('builderai-auth')
        .setAudience('builderai')
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresIn ?? 900))
        .sign(options.key ?? privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Keys and channels under this run's prefix, or a prefix of the test's own. */
// A generous Redis deadline: a loaded machine must not fail these tests; what the deadline does
// is platform/test/redis-outage.test.ts's to check.
export const connectTestInfrastructure = (redisPrefix = process.env.REDIS_PREFIX): Promise<Infrastructure> =>
  connectInfrastructure({ REDIS_URL, REDIS_PREFIX: redisPrefix, REDIS_TIMEOUT_MS: 1000 }, logger);

export interface RouterSetup {
  env?: Record<string, string>;
  subgraphUrls: Record<string, string>;
  infra: Infrastructure;
  keys: RouterKeys;
  jwksUrl: string;
}

export function startTestRouter({ env = {}, subgraphUrls, infra, keys, jwksUrl }: RouterSetup): Promise<RunningRouter> {
  return createRouter({
    // Generous limits unless a test sets its own: requests without X-Forwarded-For all come from 127.0.0.1.
    env: { PORT: '0', ROUTER_INTERNAL_PORT: '0', AUTH_JWKS_URL: jwksUrl, TRUST_PROXY: '1', LOG_LEVEL: 'silent', RATE_LIMIT_ANONYMOUS: '100000', RATE_LIMIT_AUTHENTICATED: '100000', RATE_LIMIT_PER_IP: '1000000', ...env },
    infra,
    logger,
    keys,
    subgraphUrls,
    supergraphSdl: fixtureSupergraphSdl(),
  });
}

export interface GraphQLAnswer {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

export async function graphql(url: string, query: string, options: { variables?: unknown; headers?: Record<string, string> } = {}): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

export const newKeys = (): RouterKeys => generateKeys();

/** The identity the router gave a service for a user's request: what the service acts with. */
export const servedTo = (keys: RouterKeys, identity: Identity, service = 'chat', signingKey = keys.identityPrivateKey): Identity => ({
  ...identity,
  proof: signIdentity(identity, signingKey, { subgraph: service, requestId: randomUUID() }),
});

export interface Fixtures {
  keys: RouterKeys;
  subgraphs: FixtureSubgraphs;
  auth: FixtureAuth;
  infra: Infrastructure;
  /** The suite's router, when useFixtures was given its environment. */
  router: RunningRouter;
  /** A router over the fixtures; `env` on top of startTestRouter's generous defaults. */
  startRouter(env?: Record<string, string>): Promise<RunningRouter>;
  /** Runs `use` with a router of its own, closed afterwards. */
  withRouter(env: Record<string, string>, use: (router: RunningRouter) => Promise<void>): Promise<void>;
}

/**
 * The fixture subgraphs, auth and the run's infrastructure for one suite (and a router over them
 * with `routerEnv`), up before its tests and down after them, the router first.
 */
export function useFixtures(routerEnv?: Record<string, string>): Fixtures {
  const keys = newKeys();
  let started: Pick<Fixtures, 'subgraphs' | 'auth' | 'infra'> | undefined;
  let router: RunningRouter | undefined;
  beforeAll(async () => {
    started = { subgraphs: await startFixtureSubgraphs(keys), auth: await startFixtureAuth(), infra: await connectTestInfrastructure() };
    if (routerEnv) router = await startRouter(routerEnv);
  });
  afterAll(async () => {
    await router?.close();
    await started?.subgraphs.close();
    await started?.auth.close();
    await started?.infra.close();
  });
  const current = () => {
    if (!started) throw new Error('the fixtures are not up yet: use them inside a test or hook');
    return started;
  };
  const startRouter = (env: Record<string, string> = {}) =>
    startTestRouter({ env, subgraphUrls: current().subgraphs.urls, infra: current().infra, keys, jwksUrl: current().auth.jwksUrl });
  return {
    keys,
    get subgraphs() {
      return current().subgraphs;
    },
    get auth() {
      return current().auth;
    },
    get infra() {
      return current().infra;
    },
    get router() {
      if (!router) throw new Error('no router: pass useFixtures its environment');
      return router;
    },
    startRouter,
    async withRouter(env, use) {
      const router = await startRouter(env);
      try {
        await use(router);
      } finally {
        await router.close();
      }
    },
  };
}

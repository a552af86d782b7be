// A subgraph definition run by the kit: its setup, consumers, periodic jobs, routes and
// readiness come up with the server, and all of them stop with it.
import { z } from 'zod';
import {
  generateKeys,
  connectInfrastructure,
  consumer,
  createEnvelope,
  createLogger,
  databaseUrlFor,
  defineEvents,
  defineSubgraph,
  sendJson,
  startService,
  type Infrastructure,
  type ServiceRuntime,
} from '../src/index.js';
// Any service's client will do: the definition borrows the users database of the test run.
import { PrismaClient } from '../../../subgraphs/users/src/generated/prisma/client.ts';

const probeEvents = defineEvents('probe', { 'probe.thing.happened': z.object({ n: z.number() }) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const logger = createLogger('start-service-test', 'silent');

/** What the launcher gives a service: here the run's users database and in-process infrastructure. */
const depsOf = (infra: Infrastructure) => ({
  env: { PORT: '0' },
  infra,
  logger,
  databaseUrl: databaseUrlFor('users')!,
  keys: generateKeys(),
  routerUrl: () => 'http://127.0.0.1:1/graphql',
});

test('start brings every part up; close stops every one of them', async () => {
  const seen: number[] = [];
  let passes = 0;
  type App = ServiceRuntime<PrismaClient> & { greeting: string };
  const definition = defineSubgraph({
    name: 'users',
    resolvers: {},
    database: PrismaClient,
    setup: async ({ db }) => ({ greeting: `hello from ${typeof db.profile.findMany}` }),
    context: (base) => base,
    consumes: [consumer(probeEvents, 'probe.things', { 'probe.thing.happened': async ({ n }, _event, app: App) => void seen.push(n, app.greeting.length) })],
    routes: ({ greeting }) => ({ '/hello': (_req, res) => sendJson(res, 200, { greeting }) }),
    periodic: () => ({ tick: { intervalMs: 20, run: async () => void passes++ } }),
    readiness: () => ({ probe: async () => 'up' }),
  });

  const infra = await connectInfrastructure({}, logger);
  const service = await startService(definition, depsOf(infra));
  try {
    expect(await (await fetch(`${service.url}/hello`)).json()).toEqual({ greeting: 'hello from function' });
    const ready = await (await fetch(`${service.url}/health/ready`)).json();
    expect(ready).toMatchObject({ status: 'ready', checks: { database: { status: 'up' }, probe: { status: 'up' } } });
    await infra.bus.publish(createEnvelope('probe', 'probe.thing.happened', { n: 7 }));
    for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(10);
    expect(seen).toEqual([7, 'hello from function'.length]);
    for (let i = 0; i < 100 && passes === 0; i++) await sleep(10);
    expect(passes).toBeGreaterThan(0);
  } finally {
    await service.close();
  }

  // After close: no more passes, no more deliveries, no more requests.
  const passesAtClose = passes;
  await infra.bus.publish(createEnvelope('probe', 'probe.thing.happened', { n: 8 }));
  await sleep(100);
  expect(passes).toBe(passesAtClose);
  expect(seen).toEqual([7, 'hello from function'.length]);
  await expect(fetch(`${service.url}/hello`)).rejects.toThrow();
  await infra.close();
});

test('a failed start releases what it started', async () => {
  const infra = await connectInfrastructure({}, logger);
  let passes = 0;
  const definition = defineSubgraph({
    name: 'users',
    resolvers: {},
    database: PrismaClient,
    context: (base) => base,
    periodic: () => ({ tick: { intervalMs: 10, run: async () => void passes++ } }),
    // Routes are built after the periodic jobs started: failing here must stop them.
    routes: () => {
      throw new Error('no routes today');
    },
  });
  await expect(startService(definition, depsOf(infra))).rejects.toThrow('no routes today');
  const after = passes;
  await sleep(60);
  expect(passes).toBe(after);
  await infra.close();
});

// Runs a subgraph definition: its database, outbox relay, retention, consumers, periodic jobs
// and server, started in that order and stopped in the reverse one. Unpublished events wait
// in the outbox for the next start.
import path from 'node:path';
import type { Logger } from './logger.js';
import { REPO_ROOT } from './services.js';
import { subgraphEntry } from './subgraph-list.js';
import { loadServerConfig } from './config.js';
import { databaseCheck, prismaAdapter } from './db.js';
import { startOutboxRelay } from './events/relay.js';
import { attachConsumers } from './events/attach-consumers.js';
import { startPeriodic } from './periodic.js';
import { startServiceRetention } from './retention.js';
import { startSubgraph, type RunningSubgraph } from './subgraph.js';
import { createRouterClient } from './router-client.js';
import type { AnySubgraphDefinition, ServiceRuntime } from './subgraph-definition.js';
import type { ServiceDeps } from './service.js';

type Stop = () => Promise<unknown>;

// A reachable broker binds a service's queues in milliseconds; an unreachable one must not keep
// the service from serving: its consumers attach when the broker comes (readiness says so).
const CONSUMERS_WAIT_MS = 2_000;

async function stopAll(stops: Stop[], logger: Logger): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch((error) => logger.warn({ err: error }, 'a shutdown step failed'));
}

export async function startService(definition: AnySubgraphDefinition, deps: ServiceDeps): Promise<RunningSubgraph> {
  const { name } = definition;
  const { env, infra, logger } = deps;
  const server = loadServerConfig(name, env);
  const config = definition.config?.(env);
  const db = new definition.database({ adapter: prismaAdapter({ url: deps.databaseUrl }) });
  const stops: Stop[] = [() => db.$disconnect()];

  try {
    const relay = startOutboxRelay({ db, bus: infra.bus, logger });
    stops.push(() => relay.stop());
    let ownUrl: string | undefined;
    const runtime: ServiceRuntime<typeof db, typeof config> = {
      name,
      env,
      config,
      db,
      infra,
      logger,
      router: createRouterClient({ routerUrl: deps.routerUrl, service: name, secret: deps.keys.serviceTokenSecret }),
      publishEvents: () => relay.nudge(),
      ownUrl: () => {
        if (!ownUrl) throw new Error(`the ${name} service is not listening yet`);
        return ownUrl;
      },
    };
    const app = { ...runtime, ...(await definition.setup?.(runtime)) };
    if (definition.stop) stops.push(() => definition.stop!(app));

    const retention = startServiceRetention(env, db, logger, definition.retention?.(app));
    stops.push(() => retention.stop());
    const consumers = attachConsumers(definition.consumes ?? [], app, infra.bus, logger);
    stops.push(() => consumers.stop());
    await consumers.attachedWithin(CONSUMERS_WAIT_MS);
    for (const [job, { intervalMs, run }] of Object.entries(definition.periodic?.(app) ?? {})) {
      const task = startPeriodic(run, { intervalMs, onError: (error) => logger.warn({ err: error, job }, 'periodic job failed; next pass as planned') });
      stops.push(() => task.stop());
    }

    const subgraph = await startSubgraph({
      name,
      schemaFile: path.join(REPO_ROOT, subgraphEntry(name).schemaFile),
      resolvers: definition.resolvers as never,
      ...server,
      env,
      identityPublicKey: deps.keys.identityPublicKey,
      logger,
      createContext: (base) => definition.context(base, app),
      readiness: { database: databaseCheck(db), ...definition.readiness?.(app), ...infra.readiness, ...consumers.readiness },
      routes: definition.routes?.(app),
      onClose: () => stopAll(stops, logger),
    });
    ownUrl = subgraph.url;
    return subgraph;
  } catch (error) {
    await stopAll(stops, logger);
    throw error;
  }
}

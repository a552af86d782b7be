// Health checks and tests: a fresh session to the server (not a pooled one, so a check sees what
// a new connection would), initialize, ping and list what it offers, with the time it took.
// The result feeds the server's breaker, so calls resume as soon as a check finds it back.
import type { McpServer } from '../generated/prisma/client.ts';
import type { McpApp } from '../context.js';
import { ConnectError } from '../connections/open-client.js';
import { AuthorizationRequiredError } from '../connections/authorized-fetch.js';
import { CircuitOpenError } from '../connections/breaker.js';
import { readableError } from '../connections/errors.js';
import { readCapabilities, type Capabilities } from './capabilities.js';
import { endpointOf } from './endpoints.js';
import { recordCheck, type CheckOutcome } from './status.js';

type Deps = Pick<McpApp, 'db' | 'config' | 'secretsKey' | 'grants' | 'pool' | 'openClient' | 'infra' | 'publishEvents' | 'logger'>;

export interface CheckResult extends CheckOutcome {
  server: McpServer;
  capabilities?: Capabilities;
}

/**
 * Checks the server. A scheduled check of a server whose breaker is open does not connect (it
 * is down, and every user's entry for it would try again); the breaker's trial does. A user's
 * own test (`force`) always connects.
 */
export async function checkServer(deps: Deps, server: McpServer, { force = false } = {}): Promise<CheckResult> {
  const endpoint = await endpointOf(deps, server);
  const breaker = deps.pool.breakerFor(endpoint);
  if (!force) {
    try {
      breaker.admit();
    } catch (error) {
      if (!(error instanceof CircuitOpenError)) throw error;
      const outcome: CheckOutcome = { status: 'OFFLINE', latencyMs: null, url: null, error: error.message };
      return { ...outcome, server: await recordCheck(deps, server, outcome) };
    }
  }
  const started = performance.now();
  let outcome: CheckOutcome;
  try {
    const opened = await deps.openClient(endpoint);
    try {
      await opened.client.ping({ timeout: deps.config.connectTimeoutMs });
      const capabilities = await readCapabilities(opened.client, deps.config.connectTimeoutMs);
      const latencyMs = Math.round(performance.now() - started);
      // Only a fallback answered: the server works, not as registered.
      outcome = { status: opened.urlIndex > 0 ? 'DEGRADED' : 'ONLINE', latencyMs, url: opened.url, error: opened.urlIndex > 0 ? `${endpoint.urls[0]} did not answer` : null, capabilities };
    } finally {
      await opened.close().catch(() => undefined);
    }
    breaker.success();
  } catch (error) {
    if (error instanceof AuthorizationRequiredError) {
      // It answered, asking for its owner's authorization: up, and waiting for them.
      breaker.success();
      const outcome: CheckOutcome = { status: 'ONLINE', latencyMs: Math.round(performance.now() - started), url: endpoint.urls[0] ?? null, error: error.message };
      return { ...outcome, server: await recordCheck(deps, server, outcome) };
    }
    const reason = error instanceof ConnectError ? error.message : readableError(error, deps.config.connectTimeoutMs);
    outcome = { status: 'OFFLINE', latencyMs: null, url: null, error: reason };
    breaker.failure(reason);
  }
  const updated = await recordCheck(deps, server, outcome);
  return { ...outcome, server: updated };
}

import { randomUUID } from 'node:crypto';

// What travels on the bus. `type` is the routing key `<service>.<entity>.<verb>`,
// e.g. `auth.user.registered`; `source` is the publishing service.
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  source: string;
  occurredAt: string;
  payload: T;
}

const SEGMENT = '[a-z][a-zA-Z0-9_-]*';
const EVENT_TYPE = new RegExp(`^${SEGMENT}\\.${SEGMENT}\\.${SEGMENT}$`);

// Rejects routing keys that consumers' patterns could never match reliably,
// and events a service publishes under another service's name.
export function assertEventType(source: string, type: string): void {
  if (!EVENT_TYPE.test(type)) {
    throw new Error(`Event type "${type}" must read <service>.<entity>.<verb>, e.g. auth.user.registered`);
  }
  if (!type.startsWith(`${source}.`)) {
    throw new Error(`Event type "${type}" must start with its source service "${source}."`);
  }
}

export function createEnvelope<T>(
  source: string,
  type: string,
  payload: T,
  at: Date = new Date(),
): EventEnvelope<T> {
  assertEventType(source, type);
  return { id: randomUUID(), type, source, occurredAt: at.toISOString(), payload };
}

// Guards what arrives from the broker before a handler sees it.
export function isEventEnvelope(value: unknown): value is EventEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.type === 'string' &&
    typeof v.source === 'string' &&
    typeof v.occurredAt === 'string' &&
    'payload' in v
  );
}

import type { EventEnvelope } from './envelope.js';

export type EventHandler = (event: EventEnvelope) => Promise<void>;

export interface ConsumeOptions {
  // Durable queue name, one per consuming purpose: `<service>.<purpose>`, e.g. `notifications.user-registered`.
  queue: string;
  // Topic patterns on event types: `*` is one word, `#` is zero or more words.
  patterns: string[];
  handler: EventHandler;
  // Deliveries before the event is dead-lettered (the first one included).
  maxAttempts?: number;
  // Delay before retry n is backoffMs[n - 1]; the last entry repeats.
  backoffMs?: number[];
}

export interface Subscription {
  close(): Promise<void>;
}

// Both buses deliver at least once: handlers must be idempotent (see handleOnce).
export interface EventBus {
  // Resolves only once the broker has confirmed the event.
  publish(event: EventEnvelope): Promise<void>;
  // Resolves once the queue is bound and consuming.
  consume(options: ConsumeOptions): Promise<Subscription>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = [1_000, 5_000, 30_000, 120_000];

export function retryDelay(backoffMs: number[], retry: number): number {
  if (backoffMs.length === 0) return 0;
  return backoffMs[Math.min(retry, backoffMs.length) - 1];
}

export function validateConsumeOptions(options: ConsumeOptions): Required<ConsumeOptions> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (!options.queue) throw new Error('consume: queue is required');
  if (options.patterns.length === 0) throw new Error(`consume ${options.queue}: at least one pattern is required`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`consume ${options.queue}: maxAttempts must be a positive integer`);
  }
  if (backoffMs.some((ms) => !Number.isFinite(ms) || ms < 0)) {
    throw new Error(`consume ${options.queue}: backoffMs must be non-negative numbers`);
  }
  return { ...options, maxAttempts, backoffMs };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

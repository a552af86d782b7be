// The event kit: outbox → relay → bus → idempotent handler.
export { createEnvelope, assertEventType, isEventEnvelope, type EventEnvelope } from './envelope.js';
export {
  DEFAULT_BACKOFF_MS,
  DEFAULT_MAX_ATTEMPTS,
  type ConsumeOptions,
  type EventBus,
  type EventHandler,
  type Subscription,
} from './bus.js';
export { topicMatches } from './topic.js';
export {
  ATTEMPT_HEADER,
  ERROR_HEADER,
  createRabbitMqBus,
  deadLetterQueueName,
  retryQueueName,
  type RabbitMqBus,
  type RabbitMqBusOptions,
} from './rabbitmq-bus.js';
export { createMemoryBus, type DeadLetter, type MemoryBus, type MemoryBusOptions } from './memory-bus.js';
export type { RawSql, TransactionalSql } from './sql.js';
export { recordEvent } from './outbox.js';
export { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './relay.js';
export { handleOnce, wasHandled, type TransactionsOf } from './idempotency.js';
export { defineEvents, type EventContract, type EventPayload, type EventSchemas } from './contract.js';
export { consumer, type ConsumerOptions, type EventConsumer, type EventHandlers } from './consumer.js';

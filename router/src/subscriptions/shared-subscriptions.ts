// Identical subscriptions (same operation, variables and authorization) share one upstream
// subscription, and each event is resolved once for all of them. A subscription joins only one
// that has delivered nothing yet, so every subscriber sees exactly the events it would have seen
// alone (a subgraph may replay, on subscribe, what came before: chat does from a cursor).
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, appError, type Logger } from '@builderai/kit';
import type { Subscriber } from './result-queue.js';
import type { UpstreamHandlers } from './upstream.js';
import type { UpstreamEvent } from './event-results.js';

export interface SharedSource {
  /** Opens the upstream subscription; returns what closes it. */
  open(handlers: UpstreamHandlers): () => void;
  /** Makes one upstream event into the answer every subscriber gets. */
  resolve(event: UpstreamEvent): Promise<ExecutionResult>;
}

/** The upstream broke: the client resubscribes (from its last cursor, where there is one). */
export const interruptedError = () =>
  appError(ErrorCode.UNAVAILABLE, 'The subscription was interrupted by a restart on the server; subscribe again (from your last cursor) to go on');

const asGraphQLError = (error: GraphQLFormattedError) => new GraphQLError(error.message, { path: error.path, extensions: error.extensions });

interface GroupHooks {
  /** The first event arrived, or the group ended: no one may join it any more. */
  closedToJoiners(): void;
  /** The upstream is closed (once). */
  ended(): void;
}

class Group {
  readonly subscribers = new Set<Subscriber>();
  private delivered = false;
  private ended = false;
  private queue: Promise<void> = Promise.resolve();
  private close?: () => void;

  constructor(
    private readonly source: SharedSource,
    private readonly logger: Logger,
    private readonly hooks: GroupHooks,
  ) {}

  start(): void {
    this.close = this.source.open({
      next: (event) => {
        if (!this.delivered) {
          this.delivered = true;
          this.hooks.closedToJoiners();
        }
        this.inOrder(async () => {
          const result = await this.source.resolve(event).catch((error: unknown) => {
            this.logger.error({ err: error }, 'a subscription event could not be resolved');
            return { errors: [appError(ErrorCode.INTERNAL_SERVER_ERROR, 'This event could not be resolved')] };
          });
          for (const subscriber of this.subscribers) subscriber.push(result);
        });
      },
      refused: (errors) => this.finish((subscriber) => subscriber.fail(asGraphQLError(errors[0]!))),
      interrupted: (reason) => {
        this.logger.warn({ reason }, 'an upstream subscription was interrupted');
        this.finish((subscriber) => subscriber.fail(interruptedError()));
      },
      complete: () => this.finish((subscriber) => subscriber.end()),
    });
  }

  leave(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0 && this.markEnded()) this.close?.();
  }

  /** Ends every subscriber once the events before have been delivered. */
  private finish(end: (subscriber: Subscriber) => void): void {
    if (!this.markEnded()) return;
    this.inOrder(async () => {
      for (const subscriber of [...this.subscribers]) end(subscriber);
    });
  }

  private markEnded(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.hooks.closedToJoiners();
    this.hooks.ended();
    return true;
  }

  private inOrder(step: () => Promise<void>): void {
    this.queue = this.queue.then(step);
  }
}

export class SharedSubscriptions {
  private readonly joinable = new Map<string, Group>();
  private open = 0;

  constructor(private readonly logger: Logger) {}

  /** Upstream subscriptions open now. */
  get upstreams(): number {
    return this.open;
  }

  /** Adds the subscriber to the shared subscription for `key`, opening one if needed; returns its leave. */
  join(key: string, subscriber: Subscriber, source: () => SharedSource): () => void {
    let group = this.joinable.get(key);
    if (group) {
      group.subscribers.add(subscriber);
    } else {
      const created: Group = new Group(source(), this.logger, {
        closedToJoiners: () => {
          if (this.joinable.get(key) === created) this.joinable.delete(key);
        },
        ended: () => (this.open -= 1),
      });
      group = created;
      this.open += 1;
      this.joinable.set(key, group);
      group.subscribers.add(subscriber);
      group.start();
    }
    const joined = group;
    return () => joined.leave(subscriber);
  }
}

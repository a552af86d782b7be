// A client's end of a subscription: results pushed by its shared upstream are queued until the
// transport (graphql-ws, SSE) takes them. A client that falls too far behind is ended with an
// error rather than buffered without bound.
import type { ExecutionResult, GraphQLError } from 'graphql';

export interface Subscriber {
  push(result: ExecutionResult): void;
  fail(error: GraphQLError): void;
  end(): void;
}

export class ResultQueue implements AsyncIterableIterator<ExecutionResult>, Subscriber {
  private readonly items: ExecutionResult[] = [];
  private waiting?: { resolve(result: IteratorResult<ExecutionResult>): void; reject(error: unknown): void };
  private failure?: GraphQLError;
  private finished = false;
  private released = false;

  constructor(
    private readonly maxQueued: number,
    private readonly tooSlow: () => GraphQLError,
    /** Called once when the client's subscription ends, however it ends. */
    private readonly onRelease: () => void,
  ) {}

  push(result: ExecutionResult): void {
    if (this.finished) return;
    if (this.waiting) return this.settle({ done: false, value: result });
    if (this.items.length >= this.maxQueued) return this.fail(this.tooSlow());
    this.items.push(result);
  }

  fail(error: GraphQLError): void {
    if (this.finished) return;
    this.failure = error;
    this.finish();
  }

  end(): void {
    if (!this.finished) this.finish();
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const item = this.items.shift();
    if (item) return Promise.resolve({ done: false, value: item });
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.finished) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.items.length = 0;
    this.failure = undefined;
    this.end();
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }

  private finish(): void {
    this.finished = true;
    if (this.waiting) {
      if (this.failure) {
        const failure = this.failure;
        this.failure = undefined;
        this.settleWith((waiting) => waiting.reject(failure));
      } else this.settle({ done: true, value: undefined });
    }
    if (!this.released) {
      this.released = true;
      this.onRelease();
    }
  }

  private settle(result: IteratorResult<ExecutionResult>): void {
    this.settleWith((waiting) => waiting.resolve(result));
  }

  private settleWith(action: (waiting: NonNullable<ResultQueue['waiting']>) => void): void {
    const waiting = this.waiting!;
    this.waiting = undefined;
    action(waiting);
  }
}

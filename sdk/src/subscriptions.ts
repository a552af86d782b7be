// Subscriptions over one WebSocket per client (graphql-ws, the graphql-transport-ws protocol),
// opened for the first subscription and closed after the last, with the access token in
// connectionParams, read when the socket connects. Each subscription is an async iterator of its
// typed results. One whose operation takes `$after` is resumed after the cursor of the last
// result it received when the connection drops or the API answers UNAVAILABLE, so the app sees
// every event once and in order; UNAUTHENTICATED is retried once with a renewed token.
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws/client';
import { BuilderAIError, type ErrorCode, type GraphQLErrorEntry } from './errors.js';
import type { SubscriptionIterator } from './generated/sdk.js';

export interface ResubscribeOptions {
  /** Attempts in a row, with no event between them, before the subscription ends UNAVAILABLE (default 5). */
  attempts?: number;
  /** The wait before the first attempt, doubled for each next one (default 500 ms; each wait is jittered down by up to half). */
  delayMs?: number;
  /** The longest wait (default 8000 ms). */
  maxDelayMs?: number;
}

export interface SubscriptionOptions {
  /**
   * The WebSocket class subscriptions use, where there is no global `WebSocket` (Node 20:
   * `import WebSocket from 'ws'`). Browsers and Node 22+ have one.
   */
  webSocketImpl?: unknown;
  /** Where subscriptions connect (default: `url` with ws: or wss:). */
  subscriptionUrl?: string;
  /** How a subscription comes back after a dropped connection or UNAVAILABLE. */
  resubscribe?: ResubscribeOptions;
}

/** Where the access token for a connection comes from. */
export interface SubscriptionAuth {
  /** The token to connect with now, if any. */
  accessToken(): Promise<string | undefined>;
  /** After the API refused `refused`: a token to try once more with, or undefined. */
  renew(refused: string | undefined): Promise<string | undefined>;
}

export type SubscribeRaw = (query: string, variables: Record<string, unknown> | undefined) => SubscriptionIterator<unknown>;

/** A subscription that ran this long before it failed was established: its failures start counting again. */
const ESTABLISHED_MS = 10_000;

/** Close codes that no new attempt would change (graphql-ws's own vocabulary, and WebSocket's protocol errors). */
const FATAL_CLOSE_CODES: Record<number, ErrorCode> = {
  1002: 'BAD_REQUEST',
  1003: 'BAD_REQUEST',
  1007: 'BAD_REQUEST',
  1008: 'BAD_REQUEST',
  1009: 'BAD_REQUEST',
  1010: 'BAD_REQUEST',
  4400: 'BAD_REQUEST',
  4406: 'BAD_REQUEST',
  4409: 'BAD_REQUEST',
  4429: 'BAD_REQUEST',
  4004: 'INTERNAL_SERVER_ERROR',
  4005: 'INTERNAL_SERVER_ERROR',
  4500: 'INTERNAL_SERVER_ERROR',
};
/** 4401: the token was refused when the socket connected; 4403: its session was revoked. */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);

interface CloseLike {
  code: number;
  reason: string;
}
const isCloseEvent = (value: unknown): value is CloseLike =>
  typeof value === 'object' && value !== null && !(value instanceof BuilderAIError) && typeof (value as CloseLike).code === 'number' && 'reason' in value;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `url` as a WebSocket URL: http becomes ws, https wss; relative to the page in browsers. */
export function webSocketUrlOf(url: string): string {
  const page = typeof location === 'undefined' ? undefined : location.href;
  const parsed = new URL(url, page);
  parsed.protocol = parsed.protocol === 'https:' || parsed.protocol === 'wss:' ? 'wss:' : 'ws:';
  return parsed.href;
}

type Failure = { kind: 'retry' | 'auth'; reason: string; error: BuilderAIError } | { kind: 'fatal'; error: unknown };

const codedError = (code: ErrorCode, message: string) => new BuilderAIError([{ message, extensions: { code } }], 0);

/** What a failed attempt means: try again, renew the token, or end with this error. */
function classify(failure: unknown): Failure {
  if (Array.isArray(failure)) {
    // The API's errors (an `error` message of the protocol).
    const errors = failure as GraphQLErrorEntry[];
    const error = new BuilderAIError(errors.length ? errors : [{ message: 'The subscription failed' }], 0);
    if (error.code === 'UNAVAILABLE') return { kind: 'retry', reason: error.message, error };
    if (error.code === 'UNAUTHENTICATED') return { kind: 'auth', reason: error.message, error };
    return { kind: 'fatal', error };
  }
  if (failure instanceof BuilderAIError) {
    // From the session while connecting: its refresh was refused (the session is over), or another refusal.
    if (failure.code === 'UNAUTHENTICATED') return { kind: 'auth', reason: failure.message, error: failure };
    return { kind: 'fatal', error: failure };
  }
  if (isCloseEvent(failure)) {
    const reason = `the connection closed (${failure.code}${failure.reason ? ` ${failure.reason}` : ''})`;
    if (AUTH_CLOSE_CODES.has(failure.code)) return { kind: 'auth', reason, error: codedError('UNAUTHENTICATED', failure.reason || 'Unauthorized') };
    const fatal = FATAL_CLOSE_CODES[failure.code];
    if (fatal) return { kind: 'fatal', error: codedError(fatal, `The subscription's ${reason}`) };
    return { kind: 'retry', reason, error: codedError('UNAVAILABLE', `The subscription's ${reason}`) };
  }
  // The socket's error event (no connection), or a network failure while renewing the token.
  const reason = failure instanceof Error ? failure.message : 'the connection failed';
  return { kind: 'retry', reason, error: codedError('UNAVAILABLE', `The subscription's connection failed: ${reason}`) };
}

/** The cursor of a result: its root field's `cursor`. */
function cursorOf(data: unknown): string | undefined {
  const root = data && typeof data === 'object' ? Object.values(data)[0] : undefined;
  const cursor = root && typeof root === 'object' ? (root as { cursor?: unknown }).cursor : undefined;
  return typeof cursor === 'string' ? cursor : undefined;
}

export function createSubscriptions(options: SubscriptionOptions & { url: string }, auth: SubscriptionAuth): SubscribeRaw {
  const attempts = options.resubscribe?.attempts ?? 5;
  const delayMs = options.resubscribe?.delayMs ?? 500;
  const maxDelayMs = options.resubscribe?.maxDelayMs ?? 8000;
  const backoff = (attempt: number) => Math.min(maxDelayMs, delayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);

  let client: WsClient | undefined;
  /** The token of the last connection attempt, and of the socket open now (if any). */
  let connectedWith: string | undefined;
  let openWith: string | undefined;

  // Made on the first subscription: graphql-ws needs a WebSocket class then, not before. What
  // throws here (no WebSocket, a URL that is none) ends that subscription with the error.
  const connection = () =>
    (client ??= createWsClient({
      url: options.subscriptionUrl ?? webSocketUrlOf(options.url),
      webSocketImpl: options.webSocketImpl,
      lazy: true,
      // Each subscription resubscribes by itself, from its own cursor.
      retryAttempts: 0,
      retryWait: (retries) => sleep(backoff(retries + 1)),
      connectionParams: async () => {
        const token = await auth.accessToken();
        connectedWith = token;
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      on: {
        connected: () => (openWith = connectedWith),
        closed: () => (openWith = undefined),
      },
    }));

  return (query, variables) => {
    const resumable = /\$after\s*:/.test(query);
    // graphql-ws sends these again if it reconnects by itself: `after` always holds the last cursor.
    const vars: Record<string, unknown> = { ...variables };
    const buffered: unknown[] = [];
    const waiting: Array<{ resolve(result: IteratorResult<unknown, undefined>): void; reject(error: unknown): void }> = [];
    let failure: { error: unknown } | undefined;
    let finished = false;
    let received = false;
    let unsubscribe: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let renewed = false;
    let startedAt = 0;

    const end = (error?: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      unsubscribe?.();
      unsubscribe = undefined;
      if (error !== undefined) failure = { error };
      while (waiting.length && !buffered.length) {
        const next = waiting.shift()!;
        if (failure) {
          next.reject(failure.error);
          failure = undefined;
        } else next.resolve({ done: true, value: undefined });
      }
    };

    const deliver = (data: unknown) => {
      const next = waiting.shift();
      if (next) next.resolve({ done: false, value: data });
      else buffered.push(data);
    };

    const start = () => {
      if (finished) return;
      let ws: WsClient;
      try {
        ws = connection();
      } catch (error) {
        return end(error);
      }
      startedAt = Date.now();
      let live = true;
      const over = () => {
        const was = live;
        live = false;
        unsubscribe = undefined;
        return was;
      };
      unsubscribe = ws.subscribe<unknown>(
        { query, variables: vars },
        {
          next: (result) => {
            if (!live) return;
            if (result.errors?.length) {
              // Unsubscribes (end) as well: the server's side goes on otherwise.
              live = false;
              return end(new BuilderAIError(result.errors as GraphQLErrorEntry[], 0, result.data));
            }
            const cursor = resumable ? cursorOf(result.data) : undefined;
            if (cursor !== undefined) vars.after = cursor;
            received = true;
            failures = 0;
            renewed = false;
            deliver(result.data);
          },
          error: (error) => {
            if (over()) void recover(error);
          },
          complete: () => {
            if (over()) end();
          },
        },
      );
    };

    const retryAfter = (ms: number) => {
      timer = setTimeout(start, ms);
    };

    async function recover(error: unknown): Promise<void> {
      if (finished) return;
      const failed = classify(error);
      if (failed.kind === 'fatal') return end(failed.error);
      // Without a cursor, only a subscription that has delivered nothing yet can start over.
      if (!resumable && received) return end(failed.error);
      if (Date.now() - startedAt >= ESTABLISHED_MS) {
        failures = 0;
        renewed = false;
      }
      if (failed.kind === 'auth') {
        if (renewed) return end(failed.error);
        renewed = true;
        const refused = connectedWith;
        let token: string | undefined;
        try {
          token = await auth.renew(refused);
        } catch (renewal) {
          // A network failure counts as a failed attempt, and the renewal is tried again; a refusal ends it.
          const cause = classify(renewal);
          if (cause.kind !== 'retry') return end(cause.error);
          renewed = false;
          return recover(renewal);
        }
        if (finished) return;
        if (!token) return end(failed.error);
        // A socket still open for the refused token is no use: the other subscriptions on it resume on a new one.
        if (openWith !== undefined && openWith === refused && token !== refused) client?.terminate();
        return retryAfter(0);
      }
      failures += 1;
      if (failures > attempts) return end(codedError('UNAVAILABLE', `The subscription could not be resumed after ${attempts} attempts: ${failed.reason}`));
      retryAfter(backoff(failures));
    }

    const iterator: SubscriptionIterator<unknown> = {
      next() {
        if (buffered.length) return Promise.resolve({ done: false, value: buffered.shift() });
        if (failure) {
          const { error } = failure;
          failure = undefined;
          return Promise.reject(error);
        }
        if (finished) return Promise.resolve({ done: true, value: undefined });
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      },
      async return() {
        buffered.length = 0;
        end();
        failure = undefined;
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    start();
    return iterator;
  };
}

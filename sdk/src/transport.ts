// One GraphQL request over fetch (Node 20+ and browsers): the answer's data, or a
// BuilderAIError carrying the errors and the HTTP status. RATE_LIMITED can be retried after
// the wait the API asks for.
import { BuilderAIError, type GraphQLErrorEntry } from './errors.js';

export interface RetryRateLimited {
  /** Retries after the first refusal (default 2). */
  maxRetries?: number;
  /** A longer wait than this is not waited for: the error goes to the caller (default 30). */
  maxWaitSeconds?: number;
}

export interface TransportOptions {
  url: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  retryRateLimited?: boolean | RetryRateLimited;
}

/** Sends `query` with `variables`, with `accessToken` as a Bearer token when given. */
export type Send = <R>(query: string, variables: unknown, accessToken: string | undefined) => Promise<R>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createTransport(options: TransportOptions): Send {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retry = options.retryRateLimited === true ? {} : options.retryRateLimited || undefined;
  const maxRetries = retry ? (retry.maxRetries ?? 2) : 0;
  const maxWaitSeconds = retry?.maxWaitSeconds ?? 30;

  async function sendOnce<R>(query: string, variables: unknown, accessToken: string | undefined): Promise<R> {
    const response = await doFetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: { data?: R | null; errors?: GraphQLErrorEntry[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new BuilderAIError([{ message: text.slice(0, 200) || response.statusText }], response.status);
    }
    if (body.errors?.length || body.data == null) throw new BuilderAIError(body.errors ?? [{ message: 'No data in response' }], response.status, body.data);
    return body.data;
  }

  return async <R>(query: string, variables: unknown, accessToken: string | undefined): Promise<R> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await sendOnce<R>(query, variables, accessToken);
      } catch (error) {
        const wait = error instanceof BuilderAIError && error.code === 'RATE_LIMITED' ? (error.retryAfter ?? 1) : undefined;
        if (wait === undefined || attempt >= maxRetries || wait > maxWaitSeconds) throw error;
        await sleep(wait * 1000);
      }
    }
  };
}

// The transport behind the generated SDK: fetch (Node 18+ and browsers), a bearer token,
// and GraphQL errors surfaced as one typed exception carrying their codes.
export interface ClientOptions {
  /** The router's GraphQL endpoint, e.g. http://localhost:4000/graphql */
  url: string;
  /** The current access token, if any; called before every request. */
  accessToken?: () => string | undefined | null | Promise<string | undefined | null>;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; field?: string; retryAfter?: number; [key: string]: unknown };
}

export class BuilderAIError extends Error {
  override name = 'BuilderAIError';
  constructor(
    readonly errors: GraphQLErrorEntry[],
    readonly status: number,
    /** Whatever data came back beside the errors. */
    readonly data?: unknown,
  ) {
    super(errors.map((error) => error.message).join('; ') || `HTTP ${status}`);
  }

  /** The code of the first error, e.g. UNAUTHENTICATED or BAD_USER_INPUT. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** Anything whose string form is a GraphQL document (the generated documents are). */
export type Requester = <R, V>(document: { toString(): string }, variables?: V) => Promise<R>;

export function createRequester(options: ClientOptions): Requester {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  return async <R, V>(document: { toString(): string }, variables?: V): Promise<R> => {
    const token = await options.accessToken?.();
    const response = await doFetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    const text = await response.text();
    let body: { data?: R | null; errors?: GraphQLErrorEntry[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new BuilderAIError([{ message: text.slice(0, 200) || response.statusText }], response.status);
    }
    if (body.errors?.length || body.data == null) {
      throw new BuilderAIError(body.errors ?? [{ message: 'No data in response' }], response.status, body.data);
    }
    return body.data;
  };
}

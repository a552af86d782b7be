// How a subgraph asks the platform something it needs at once (chat reading a project's files,
// calling an MCP tool): through the router, as the user it acts for, so the same authorization
// and limits apply as to the user's own requests. Never into another service's database.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './errors.js';
import { REQUEST_ID_HEADER } from './context.js';
import { SERVICE_TOKEN_SCHEME, signServiceToken, type Identity } from './identity.js';

export interface RouterClientOptions {
  /** The router's internal GraphQL endpoint, e.g. http://127.0.0.1:4100/graphql (or how to learn it once the router is up). */
  routerUrl: string | (() => string);
  /** The calling service's name; subgraphs see it as `identity.actingService`. */
  service: string;
  /** SERVICE_TOKEN_SECRET, shared with the router. */
  secret: string;
}

export interface RouterRequestOptions {
  /** The request being served, so logs of both hops share its id. */
  requestId?: string;
  traceparent?: string;
  signal?: AbortSignal;
}

export interface RouterClient {
  /**
   * Runs an operation as the user of `identity`, an identity the router signed for this service
   * (a request's `context.identity`); resolves with `data`, throws RouterRequestError on errors.
   */
  request<TData = Record<string, unknown>>(
    identity: Identity,
    query: string,
    variables?: Record<string, unknown>,
    options?: RouterRequestOptions,
  ): Promise<TData>;
}

/** The router's errors, coded like the first of them so a resolver can rethrow it as is. */
export class RouterRequestError extends GraphQLError {
  constructor(
    readonly errors: GraphQLFormattedError[],
    readonly status: number,
    readonly data?: unknown,
  ) {
    const first = errors[0];
    super(first?.message ?? `Router answered HTTP ${status}`, {
      extensions: { code: first?.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR },
    });
    this.name = 'RouterRequestError';
  }
}

export function createRouterClient({ routerUrl, service, secret }: RouterClientOptions): RouterClient {
  return {
    async request<TData>(identity: Identity, query: string, variables?: Record<string, unknown>, options: RouterRequestOptions = {}) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        authorization: `${SERVICE_TOKEN_SCHEME} ${signServiceToken(service, identity, secret)}`,
      };
      if (options.requestId) headers[REQUEST_ID_HEADER] = options.requestId;
      if (options.traceparent) headers.traceparent = options.traceparent;
      const url = typeof routerUrl === 'function' ? routerUrl() : routerUrl;
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: options.signal });
      const body = (await response.json().catch(() => ({}))) as { data?: TData | null; errors?: GraphQLFormattedError[] };
      if (body.errors?.length || !body.data) throw new RouterRequestError(body.errors ?? [], response.status, body.data);
      return body.data;
    },
  };
}

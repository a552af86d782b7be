// One subgraph's data source: a keep-alive undici pool instead of the gateway's default
// fetcher (make-fetch-happen + node-fetch objects on every call). Each fetch carries the
// request's identity signed with the router's private key (once per subgraph and request), its request id,
// W3C traceparent and the client's user agent; nothing else from the client.
import { randomUUID, type KeyObject } from 'node:crypto';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { Pool } from 'undici';
import { ANONYMOUS, ErrorCode, IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity, type Logger } from '@builderai/kit';
import type { RouterContext } from '../request-context.js';
import type { RouterMetrics } from '../metrics/index.js';
import { TRACEPARENT_HEADER } from './trace-context.js';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  identityPrivateKey: KeyObject;
  connections: number;
  timeoutMs: number;
  logger: Logger;
  metrics: RouterMetrics;
}

interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

const isGraphQLResponse = (value: unknown): value is SubgraphResponse =>
  typeof value === 'object' && value !== null && ('data' in value || 'errors' in value);

export class SubgraphDataSource implements GraphQLDataSource<RouterContext> {
  private readonly pool: Pool;
  private readonly path: string;
  // Label sets bound once: prom-client validates and hashes labels on every unbound call.
  private readonly timings: Record<'ok' | 'error' | 'failure', { observe(seconds: number): void }>;

  constructor(private readonly options: SubgraphDataSourceOptions) {
    const url = new URL(options.url);
    this.path = url.pathname + url.search;
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const histogram = options.metrics.subgraphRequestDuration;
    this.timings = {
      ok: histogram.labels({ subgraph: options.name, outcome: 'ok' }),
      error: histogram.labels({ subgraph: options.name, outcome: 'error' }),
      failure: histogram.labels({ subgraph: options.name, outcome: 'failure' }),
    };
  }

  process(request: GraphQLDataSourceProcessOptions<RouterContext>): Promise<SubgraphResponse> {
    const { query, variables, operationName } = request.request;
    return this.send(request, JSON.stringify({ query, variables, operationName }));
  }

  /** The same request with its variables already written as JSON text (the router's plan executor). */
  processJson(request: GraphQLDataSourceProcessOptions<RouterContext>, variablesJson: string): Promise<SubgraphResponse> {
    const { query, operationName } = request.request;
    let body = `{"query":${JSON.stringify(query)},"variables":${variablesJson}`;
    if (operationName !== undefined) body += `,"operationName":${JSON.stringify(operationName)}`;
    return this.send(request, `${body}}`);
  }

  private async send(request: GraphQLDataSourceProcessOptions<RouterContext>, body: string): Promise<SubgraphResponse> {
    const context = 'incomingRequestContext' in request ? request.context : undefined;
    const { name } = this.options;
    const started = performance.now();
    try {
      const response = await this.post(body, this.headersFor(context));
      const parsed = parseJson(response.text);
      if (!isGraphQLResponse(parsed)) throw httpFailure(name, response.status);
      (parsed.errors ? this.timings.error : this.timings.ok).observe((performance.now() - started) / 1000);
      return parsed;
    } catch (error) {
      this.timings.failure.observe((performance.now() - started) / 1000);
      if (error instanceof GraphQLError) throw error;
      this.options.logger.warn({ err: error, subgraph: name, requestId: context?.requestId }, 'subgraph request failed');
      throw new GraphQLError(`Subgraph ${name} is unavailable`, { originalError: error as Error });
    }
  }

  /** The request through undici's dispatcher directly: the answer's bytes gathered, no stream or headers object made. */
  private post(body: string, headers: Record<string, string>): Promise<CollectedResponse> {
    const response = new CollectedResponse();
    this.pool.dispatch({ path: this.path, method: 'POST', headers, body }, response as never);
    return response.done;
  }

  private headersFor(context: RouterContext | undefined): Record<string, string> {
    const { name, identityPrivateKey } = this.options;
    if (!context) {
      const requestId = randomUUID();
      return { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(ANONYMOUS, identityPrivateKey, { subgraph: name, requestId }), [REQUEST_ID_HEADER]: requestId };
    }
    // Signed once per subgraph and request: the header opens this subgraph, for this request only.
    const signed = (context.signedIdentities ??= {});
    signed[name] ??= signIdentity(context.identity, identityPrivateKey, { subgraph: name, requestId: context.requestId });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [IDENTITY_HEADER]: signed[name],
      [REQUEST_ID_HEADER]: context.requestId,
      [TRACEPARENT_HEADER]: context.traceparent,
    };
    if (context.userAgent) headers['user-agent'] = context.userAgent;
    return headers;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** An undici dispatch handler that gathers the answer. */
class CollectedResponse {
  status = 0;
  text = '';
  readonly done: Promise<CollectedResponse>;
  private readonly chunks: Buffer[] = [];
  private settle!: { resolve(response: CollectedResponse): void; reject(error: Error): void };

  constructor() {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  onConnect(): void {}

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const { chunks } = this;
    this.text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
    this.settle.resolve(this);
  }

  onError(error: Error): void {
    this.settle.reject(error);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A subgraph answer that is not GraphQL (a proxy's error page, a crash...). */
function httpFailure(name: string, status: number): GraphQLError {
  const code = status === 401 ? ErrorCode.UNAUTHENTICATED : status === 403 ? ErrorCode.FORBIDDEN : ErrorCode.INTERNAL_SERVER_ERROR;
  return new GraphQLError(`Subgraph ${name} answered HTTP ${status}`, { extensions: { code } });
}

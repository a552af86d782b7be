// The whole platform in-process on free ports (real Postgres, Redis, RabbitMQ of the run),
// and a small GraphQL client for tests.
import { REPO_ROOT } from '@builderai/kit/services';
import { startPlatform, type RunningPlatform } from '@builderai/platform';

export type { RunningPlatform };

// Every test signs up from 127.0.0.1: limits high enough not to get in the way unless a
// test sets its own.
const TEST_LIMITS = {
  RATE_LIMIT_CREDENTIALS: '100000',
  RATE_LIMIT_ANONYMOUS: '100000',
  RATE_LIMIT_AUTHENTICATED: '100000',
  AUTH_LOGIN_FAILURE_DELAY_MS: '0',
};

export function startTestPlatform(env: Record<string, string | undefined> = {}): Promise<RunningPlatform> {
  return startPlatform({ root: REPO_ROOT, env: { ...TEST_LIMITS, ...process.env, ...env }, ports: 'free' });
}

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, any> }>;
}

export async function graphql<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLResponse['errors'] };
  return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
}

let counter = 0;
/** A unique email per call, so tests never collide across runs or files. */
export function uniqueEmail(tag = 'user'): string {
  counter += 1;
  return `${tag}-${Date.now().toString(36)}-${process.pid}-${counter}@example.com`;
}

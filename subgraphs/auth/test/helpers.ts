// Shared by the auth integration tests: a live auth subgraph, requests signed as the router
// would sign them, and unique emails and IPs so the suite can run twice in a row and in any order.
import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Identity } from '@builderai/kit';
import { startTestService, useService, type TestService, type TestServiceOptions } from '@builderai/testkit';
import authSubgraph from '../src/index.js';
import type { PrismaClient } from '../src/generated/prisma/client.ts';

// No growing delay: tests count failures, they do not need to wait for them.
const NO_DELAY = { AUTH_LOGIN_FAILURE_DELAY_MS: '0' };

export type AuthService = TestService<PrismaClient>;

export const startAuth = (env: Record<string, string> = {}, options: Omit<TestServiceOptions, 'env'> = {}): Promise<AuthService> =>
  startTestService(authSubgraph, { ...options, env: { ...NO_DELAY, ...env } });

/**
 * Starts auth before the suite's tests and stops it after them; `receive` hands it and its
 * database to the suite. Suites where several processes share revocations use the real Redis.
 */
export function useAuthService(receive: (started: { auth: AuthService; db: PrismaClient }) => void, options: Omit<TestServiceOptions, 'env'> = {}): void {
  const auth = useService(authSubgraph, { ...options, env: NO_DELAY });
  beforeAll(() => receive({ auth, db: auth.db }));
}

export const uniqueEmail = (prefix = 'user') => `${prefix}-${randomBytes(6).toString('hex')}@example.test`;
/** A made-up client address, so per-IP counters of different tests never meet. */
export const uniqueIp = () => `10.${[...randomBytes(3)].join('.')}`;
export const PASSWORD = 'correct horse battery staple';

const PAYLOAD = 'accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { id email status createdAt }';

export const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { ${PAYLOAD} } }`;
export const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { ${PAYLOAD} } }`;
export const REFRESH = `mutation($token: String!) { refreshToken(token: $token) { ${PAYLOAD} } }`;
export const LOGOUT = `mutation { logout }`;
export const LOGOUT_ALL = `mutation { logoutAll }`;
export const SESSIONS = `{ sessions { id createdAt lastUsedAt expiresAt userAgent ip current } }`;
export const REVOKE_SESSION = `mutation($id: ID!) { revokeSession(id: $id) }`;
export const CHANGE_PASSWORD = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`;
export const REQUEST_RESET = `mutation($email: String!) { requestPasswordReset(email: $email) }`;
export const RESET_PASSWORD = `mutation($input: ResetPasswordInput!) { resetPassword(input: $input) }`;
export const SET_STATUS = `mutation($userId: ID!, $status: AccountStatus!) { setAccountStatus(userId: $userId, status: $status) { id status } }`;

export interface Payload {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: { id: string; email: string | null; status: string; createdAt: string };
}

/** The identity the router derives from an access token. */
export function identityOf(accessToken: string, ip?: string): Identity {
  const claims = decodeJwt(accessToken);
  return { userId: claims.sub, sessionId: claims.sid as string, roles: claims.roles as string[], ip };
}

/** The first error of a response (the test fails if there is none). */
export function errorOf(response: { body: { errors?: any[] } }) {
  const error = response.body.errors?.[0];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(response.body)}`);
  return error as { message: string; extensions: Record<string, unknown> };
}

export function dataOf<T>(response: { body: { data?: T; errors?: any[] } }): T {
  if (response.body.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(response.body.errors)}`);
  return response.body.data as T;
}

export async function register(auth: TestService, email = uniqueEmail(), ip = uniqueIp()): Promise<Payload & { email: string; ip: string }> {
  const response = await auth.request(REGISTER, { input: { email, password: PASSWORD, name: 'Ada Lovelace' } }, { roles: [], ip });
  return { ...dataOf<{ register: Payload }>(response).register, email, ip };
}

export async function login(auth: TestService, email: string, password = PASSWORD, ip = uniqueIp()): Promise<Payload> {
  return dataOf<{ login: Payload }>(await auth.request(LOGIN, { input: { email, password } }, { roles: [], ip })).login;
}

export const refresh = (auth: TestService, token: string) => auth.request<{ refreshToken: Payload }>(REFRESH, { token }, { roles: [] });

export { eventually } from '@builderai/testkit';

// Shared by the auth integration tests: a live auth subgraph, requests signed as the router
// would sign them, and unique emails and IPs so the suite can run twice in a row and in any order.
import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { generateSealingKeys, keyAsEnv, type Identity } from '@builderai/kit';
import { expectNoGraphQLErrors, startTestService, useService, type TestService, type TestServiceOptions } from '@builderai/testkit';
import authSubgraph from '../src/index.js';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { LoginDocument, RefreshTokenDocument, RegisterDocument, type TestAuthPayloadFieldsFragment } from './generated/operations.js';

/** The notifications service's key pair, as far as auth's tests go: they open what auth seals for it. */
export const notifierKeys = generateSealingKeys();

// No growing delay: tests count failures, they do not need to wait for them.
const NO_DELAY = { AUTH_LOGIN_FAILURE_DELAY_MS: '0', NOTIFICATIONS_PUBLIC_KEY: keyAsEnv(notifierKeys.publicKey) };

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

/** What register, login and refreshToken answer. */
export type Payload = TestAuthPayloadFieldsFragment;

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

export async function register(auth: TestService, email = uniqueEmail(), ip = uniqueIp()): Promise<Payload & { email: string; ip: string }> {
  const response = await auth.request(RegisterDocument, { input: { email, password: PASSWORD, name: 'Ada Lovelace' } }, { roles: [], ip });
  return { ...expectNoGraphQLErrors(response).register, email, ip };
}

export async function login(auth: TestService, email: string, password = PASSWORD, ip = uniqueIp()): Promise<Payload> {
  return expectNoGraphQLErrors(await auth.request(LoginDocument, { input: { email, password } }, { roles: [], ip })).login;
}

export const refresh = (auth: TestService, token: string) => auth.request(RefreshTokenDocument, { token }, { roles: [] });

export { eventually } from '@builderai/testkit';

// Failed sign-ins are counted per account (by email, whether it exists or not) and per client
// IP in the shared store. Past the limit the answer is RATE_LIMITED until the window ends;
// before that, each failure is answered a little later than the previous one.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { rateLimited, variable, type ConfigOf, type KeyValueStore } from '@builderai/kit';

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const ms = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export const throttleVariables = {
  maxFailuresPerAccount: variable('AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT', count(5)),
  maxFailuresPerIp: variable('AUTH_LOGIN_MAX_FAILURES_PER_IP', count(20)),
  windowMs: variable('AUTH_LOGIN_FAILURE_WINDOW_SECONDS', count(15 * 60).transform((seconds) => seconds * 1000)),
  // Each failure in the window adds this much delay to the answer, up to the cap.
  delayStepMs: variable('AUTH_LOGIN_FAILURE_DELAY_MS', ms(100)),
  delayMaxMs: variable('AUTH_LOGIN_FAILURE_DELAY_MAX_MS', ms(1000)),
};

export type ThrottleSettings = ConfigOf<typeof throttleVariables>;

export interface LoginThrottle {
  /** Throws RATE_LIMITED while the account or the IP is locked out. */
  assertAllowed(email: string, ip?: string): Promise<void>;
  /** Counts a failure, then waits a delay that grows with the account's failures. */
  failed(email: string, ip?: string): Promise<void>;
  /** Forgets the account's failures (the IP's stay: one success must not unlock a spray). */
  succeeded(email: string): Promise<void>;
  /** Throws RATE_LIMITED while the IP is locked out (sign-ups that learn of existing accounts count). */
  assertClientAllowed(ip?: string): Promise<void>;
  /** Counts a failure of the IP alone: probing which emails have accounts locks no account out. */
  clientFailed(ip?: string): Promise<void>;
}

// Emails are hashed so the store holds no personal data.
const accountKey = (email: string) => `auth:login-failures:account:${createHash('sha256').update(email).digest('base64url')}`;
const ipKey = (ip: string) => `auth:login-failures:ip:${ip}`;

/** 0 for the first failure, then step, 2×step, 4×step... up to max. */
export function failureDelayMs(failures: number, stepMs: number, maxMs: number): number {
  if (failures <= 1 || stepMs === 0) return 0;
  return Math.min(maxMs, stepMs * 2 ** (failures - 2));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createLoginThrottle(store: KeyValueStore, settings: ThrottleSettings): LoginThrottle {
  const tooMany = (resetMs: number) =>
    rateLimited('Too many failed sign-in attempts; try again later', Math.max(1, Math.ceil(resetMs / 1000)));

  const assertClientAllowed = async (ip?: string) => {
    if (!ip) return;
    const client = await store.peek(ipKey(ip));
    if (client.count >= settings.maxFailuresPerIp) throw tooMany(client.resetMs);
  };

  return {
    async assertAllowed(email, ip) {
      const account = await store.peek(accountKey(email));
      if (account.count >= settings.maxFailuresPerAccount) throw tooMany(account.resetMs);
      await assertClientAllowed(ip);
    },
    async failed(email, ip) {
      const [account] = await Promise.all([
        store.hit(accountKey(email), settings.windowMs),
        ip ? store.hit(ipKey(ip), settings.windowMs) : undefined,
      ]);
      await sleep(failureDelayMs(account.count, settings.delayStepMs, settings.delayMaxMs));
    },
    async succeeded(email) {
      await store.delete(accountKey(email));
    },
    assertClientAllowed,
    async clientFailed(ip) {
      if (ip) await store.hit(ipKey(ip), settings.windowMs);
    },
  };
}

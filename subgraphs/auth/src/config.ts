// The auth service's environment. Durations are in seconds unless the name says otherwise.
import { z } from 'zod';
import { loadConfig, type Env } from '@builderai/kit';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

const authEnv = z
  .object({
    JWT_ISSUER: z.string().min(1).default('builderai-auth'),
    JWT_AUDIENCE: z.string().min(1).default('builderai'),
    AUTH_ACCESS_TOKEN_TTL_SECONDS: positiveInt(15 * 60),
    AUTH_REFRESH_TOKEN_TTL_SECONDS: positiveInt(30 * 24 * 60 * 60),
    /** A refresh token presented again within this of its exchange gets a sibling (0: always a reuse). */
    AUTH_REFRESH_REUSE_GRACE_SECONDS: nonNegativeInt(10),
    AUTH_PASSWORD_RESET_TTL_SECONDS: positiveInt(60 * 60),
    AUTH_PASSWORD_RESET_REQUESTS_PER_HOUR: positiveInt(3),
    /** Days expired sessions and tokens are kept before the retention job deletes them. */
    AUTH_EXPIRED_RETENTION_DAYS: positiveInt(7),
    // An Ed25519 private key (PKCS8 PEM); when unset, keys live in the signing_keys table.
    AUTH_SIGNING_KEY: z
      .string()
      .optional()
      .transform((value) => (value?.trim() ? value.replace(/\\n/g, '\n') : undefined))
      .pipe(z.string().includes('BEGIN PRIVATE KEY', { message: 'must be a PKCS8 PEM private key' }).optional()),
    AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt(5),
    AUTH_LOGIN_MAX_FAILURES_PER_IP: positiveInt(20),
    AUTH_LOGIN_FAILURE_WINDOW_SECONDS: positiveInt(15 * 60),
    // Each failure in the window adds this much delay to the answer, up to the cap.
    AUTH_LOGIN_FAILURE_DELAY_MS: nonNegativeInt(100),
    AUTH_LOGIN_FAILURE_DELAY_MAX_MS: nonNegativeInt(1000),
    // argon2id cost; the defaults are OWASP's minimum (19 MiB, 2 passes, 1 lane).
    AUTH_ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).default(19_456),
    AUTH_ARGON2_TIME_COST: positiveInt(2),
    AUTH_ARGON2_PARALLELISM: positiveInt(1),
  })
  .transform((c) => ({
    tokens: {
      issuer: c.JWT_ISSUER,
      audience: c.JWT_AUDIENCE,
      accessTtlSeconds: c.AUTH_ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: c.AUTH_REFRESH_TOKEN_TTL_SECONDS,
      refreshReuseGraceSeconds: c.AUTH_REFRESH_REUSE_GRACE_SECONDS,
      signingKeyPem: c.AUTH_SIGNING_KEY,
    },
    passwordReset: { ttlSeconds: c.AUTH_PASSWORD_RESET_TTL_SECONDS, requestsPerHour: c.AUTH_PASSWORD_RESET_REQUESTS_PER_HOUR },
    expiredRetentionDays: c.AUTH_EXPIRED_RETENTION_DAYS,
    throttle: {
      maxFailuresPerAccount: c.AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: c.AUTH_LOGIN_MAX_FAILURES_PER_IP,
      windowMs: c.AUTH_LOGIN_FAILURE_WINDOW_SECONDS * 1000,
      delayStepMs: c.AUTH_LOGIN_FAILURE_DELAY_MS,
      delayMaxMs: c.AUTH_LOGIN_FAILURE_DELAY_MAX_MS,
    },
    argon2: { memoryCost: c.AUTH_ARGON2_MEMORY_KIB, timeCost: c.AUTH_ARGON2_TIME_COST, parallelism: c.AUTH_ARGON2_PARALLELISM },
  }));

export type AuthConfig = z.output<typeof authEnv>;

export const loadAuthConfig = (env: Env): AuthConfig => loadConfig(authEnv, env);

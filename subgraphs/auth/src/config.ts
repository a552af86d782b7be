// The auth service's environment: each part is declared beside the code that reads it.
import { z } from 'zod';
import { defineConfig, variable } from '@builderai/kit';
import { throttleVariables } from './domain/login-throttle.js';
import { argon2Variables } from './domain/passwords.js';
import { signInRules, signInVariables } from './domain/sign-in/settings.js';
import { tokenVariables } from './domain/tokens.js';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const loadAuthConfig = defineConfig({
  tokens: tokenVariables,
  passwordReset: {
    ttlSeconds: variable('AUTH_PASSWORD_RESET_TTL_SECONDS', positiveInt(60 * 60)),
    requestsPerHour: variable('AUTH_PASSWORD_RESET_REQUESTS_PER_HOUR', positiveInt(3)),
  },
  /** Days expired sessions and tokens are kept before the retention job deletes them. */
  expiredRetentionDays: variable('AUTH_EXPIRED_RETENTION_DAYS', positiveInt(7)),
  throttle: throttleVariables,
  argon2: argon2Variables,
  signIn: signInVariables,
}, ...signInRules);

export type AuthConfig = ReturnType<typeof loadAuthConfig>;

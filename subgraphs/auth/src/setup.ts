// What auth's resolvers and routes share, built once at start: the signing keys and the use cases.
import { recipientKeyFrom, type ServiceRuntime } from '@builderai/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { AuthConfig } from './config.js';
import { createAccounts } from './domain/accounts.js';
import { createLoginThrottle } from './domain/login-throttle.js';
import { createPasswordHasher } from './domain/passwords.js';
import { keyRingFromDatabase, keyRingFromPem } from './domain/signing-keys.js';
import { createAccessTokenIssuer } from './domain/tokens.js';

export type AuthRuntime = ServiceRuntime<PrismaClient, AuthConfig>;

export async function setupAuth({ db: prisma, env, config, infra, publishEvents, logger }: AuthRuntime) {
  const { tokens } = config;
  const keys = tokens.signingKeyPem ? await keyRingFromPem(tokens.signingKeyPem) : await keyRingFromDatabase(prisma, tokens.accessTtlSeconds * 1000);
  const accounts = createAccounts({
    prisma,
    store: infra.store,
    pubsub: infra.pubsub,
    passwords: await createPasswordHasher(config.argon2),
    accessTokens: createAccessTokenIssuer(keys, { issuer: tokens.issuer, audience: tokens.audience, ttlSeconds: tokens.accessTtlSeconds }),
    throttle: createLoginThrottle(infra.store, config.throttle),
    notifierKey: recipientKeyFrom(env, 'NOTIFICATIONS_PUBLIC_KEY', logger),
    settings: {
      accessTtlSeconds: tokens.accessTtlSeconds,
      refreshTtlSeconds: tokens.refreshTtlSeconds,
      refreshReuseGraceSeconds: tokens.refreshReuseGraceSeconds,
      passwordResetTtlSeconds: config.passwordReset.ttlSeconds,
      passwordResetRequestsPerHour: config.passwordReset.requestsPerHour,
    },
    eventsRecorded: publishEvents,
    log: logger,
  });
  return { keys, accounts };
}

export type AuthApp = AuthRuntime & Awaited<ReturnType<typeof setupAuth>>;

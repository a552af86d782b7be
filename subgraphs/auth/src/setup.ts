// What auth's resolvers and routes share, built once at start: the signing keys, the use cases
// and the sign-in providers.
import { recipientKeyFrom, type ServiceRuntime } from '@builderai/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { AuthConfig } from './config.js';
import { createAccounts } from './domain/accounts.js';
import { createLoginThrottle } from './domain/login-throttle.js';
import { createPasswordHasher } from './domain/passwords.js';
import { keyRingFromDatabase, keyRingFromPem } from './domain/signing-keys.js';
import { createAccessTokenIssuer } from './domain/tokens.js';
import { signInProviders } from './domain/sign-in/providers.js';
import { createSignIn } from './domain/sign-in/sign-in.js';

export type AuthRuntime = ServiceRuntime<PrismaClient, AuthConfig>;

export async function setupAuth({ db: prisma, env, config, infra, publishEvents, logger }: AuthRuntime) {
  const { tokens } = config;
  const keys = tokens.signingKeyPem ? await keyRingFromPem(tokens.signingKeyPem) : await keyRingFromDatabase(prisma, tokens.accessTtlSeconds * 1000);
  const throttle = createLoginThrottle(infra.store, config.throttle);
  const accounts = createAccounts({
    prisma,
    store: infra.store,
    pubsub: infra.pubsub,
    passwords: await createPasswordHasher(config.argon2),
    accessTokens: createAccessTokenIssuer(keys, { issuer: tokens.issuer, audience: tokens.audience, ttlSeconds: tokens.accessTtlSeconds }),
    throttle,
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
  const providers = signInProviders(config.signIn);
  if (providers.size > 0) logger.info({ providers: [...providers.keys()] }, 'sign-in providers configured');
  const signIn = createSignIn({
    prisma,
    accounts,
    providers,
    redirectUris: new Set(config.signIn.redirectUris),
    throttle,
    eventsRecorded: publishEvents,
    log: logger,
  });
  return { keys, accounts, signIn };
}

export type AuthApp = AuthRuntime & Awaited<ReturnType<typeof setupAuth>>;

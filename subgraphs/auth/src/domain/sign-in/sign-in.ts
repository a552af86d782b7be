// Signing in through a provider, and the identities it links. A flow is started from the API
// (the URL to send the browser to, for a redirect URI on the allow-list) and finished once by
// its state within ten minutes. Who signs in: the user the provider identity is linked to; else
// a new account, only for an email the provider verified; an existing account with that email is
// never taken over: with a verified email its owner may confirm with the account's password
// (`confirmSignInLink`), otherwise they sign in and link the provider themselves.
import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { appError, badUserInput, conflict, ErrorCode, forbidden, isUniqueViolation, notFound, unauthenticated, unavailable, type Logger } from '@builderai/kit';
import type { Identity, Prisma, PrismaClient, User } from '../../generated/prisma/client.ts';
import { authEvents } from '../../events.js';
import type { Accounts, SignedIn } from '../accounts.js';
import type { LoginThrottle } from '../login-throttle.js';
import type { ClientInfo } from '../sessions.js';
import { createOpaqueToken, parseOpaqueToken, secretMatches } from '../opaque-tokens.js';
import { emailSchema, isUuid, nameSchema } from '../validation.js';
import { ProviderRefusedError, ProviderUnavailableError, type ProviderAccount, type SignInProvider } from './provider.js';

export interface SignInDeps {
  prisma: PrismaClient;
  accounts: Accounts;
  providers: ReadonlyMap<string, SignInProvider>;
  redirectUris: ReadonlySet<string>;
  throttle: LoginThrottle;
  eventsRecorded: () => void;
  log: Logger;
}

type Purpose = 'SIGN_IN' | 'LINK';

const FLOW_TTL_MS = 10 * 60_000;
const PENDING_LINK_TTL_MS = 10 * 60_000;
const hashState = (state: string) => createHash('sha256').update(state).digest('base64url');
const staleFlow = () => badUserInput('This sign-in is unknown, finished or expired: start it again', 'state');

export type SignIn = ReturnType<typeof createSignIn>;

export function createSignIn(deps: SignInDeps) {
  const { prisma, accounts, providers, throttle } = deps;

  function providerOf(id: string): SignInProvider {
    const provider = providers.get(id);
    if (!provider) throw badUserInput(`"${id.slice(0, 60)}" is not a sign-in provider here`, 'provider');
    return provider;
  }

  /** The flow the state names, used up whatever happens next (a state is good once). */
  async function takeFlow(providerId: string, state: string, purpose: Purpose, client: ClientInfo) {
    await throttle.assertClientAllowed(client.ip);
    const flow = state && state.length <= 200 ? await prisma.signInFlow.delete({ where: { stateHash: hashState(state) } }).catch(() => null) : null;
    if (!flow || flow.provider !== providerId || flow.purpose !== purpose || flow.expiresAt.getTime() < Date.now()) {
      // Guessing states is failing to sign in.
      await throttle.clientFailed(client.ip);
      throw staleFlow();
    }
    return flow;
  }

  async function accountAt(provider: SignInProvider, flow: { redirectUri: string; nonce: string; codeVerifier: string }, code: string, state: string, iss: string | null | undefined): Promise<ProviderAccount> {
    if (!code || code.length > 2048) throw badUserInput('code is missing or too long', 'code');
    try {
      return await provider.account({ redirectUri: flow.redirectUri, state, nonce: flow.nonce, codeVerifier: flow.codeVerifier, code, iss: iss ?? undefined });
    } catch (error) {
      if (error instanceof ProviderRefusedError) throw unauthenticated(`Signing in with ${provider.name} failed: ${error.message}`);
      if (error instanceof ProviderUnavailableError) throw unavailable(error.message);
      throw error;
    }
  }

  const identityData = (provider: SignInProvider, account: ProviderAccount) => ({
    provider: provider.id,
    subject: account.subject,
    email: account.email ? account.email.trim().toLowerCase() : null,
    emailVerified: account.emailVerified,
  });

  async function recordLinked(tx: Prisma.TransactionClient, userId: string, provider: string): Promise<void> {
    await authEvents.record(tx, 'auth.identity.linked', { userId, provider });
  }

  /** A name for the profile: the provider's, or the email's local part. */
  function profileName(account: ProviderAccount, email: string): string {
    const named = nameSchema.safeParse(account.name ?? '');
    return named.success ? named.data : email.split('@')[0]!.slice(0, 100) || 'New user';
  }

  async function createAccount(provider: SignInProvider, account: ProviderAccount, email: string): Promise<User> {
    try {
      const user = await prisma.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { email, passwordHash: null } });
        await tx.identity.create({ data: { userId: user.id, ...identityData(provider, account), lastUsedAt: new Date() } });
        await authEvents.record(tx, 'auth.user.registered', { userId: user.id, email, name: profileName(account, email) });
        await recordLinked(tx, user.id, provider.id);
        return user;
      });
      deps.eventsRecorded();
      return user;
    } catch (error) {
      // The same person finishing twice at once: the other request made the account.
      if (isUniqueViolation(error)) throw conflict('This account was just created by another sign-in: sign in again', 'state');
      throw error;
    }
  }

  /** An existing account has the provider's email: never taken over, at most offered to its owner. */
  async function accountExists(provider: SignInProvider, account: ProviderAccount, user: User): Promise<never> {
    if (!account.emailVerified || !user.passwordHash) {
      throw conflict(`An account with this email exists. Sign in to it, then link ${provider.name} from your account`, 'email');
    }
    const { id, token, secretHash } = createOpaqueToken();
    await prisma.pendingLink.create({
      data: { id, tokenHash: secretHash, userId: user.id, provider: provider.id, subject: account.subject, email: user.email, expiresAt: new Date(Date.now() + PENDING_LINK_TTL_MS) },
    });
    throw appError(ErrorCode.CONFLICT, `An account with this email exists: confirm with its password (confirmSignInLink) to sign in with ${provider.name} from now on`, { field: 'email', linkToken: token });
  }

  return {
    providers: () => [...providers.values()],

    /** The URL to send the browser to; a signed-in `userId` makes it a link to that account. */
    async start(providerId: string, redirectUri: string, userId?: string): Promise<{ url: string; state: string; expiresAt: Date }> {
      const provider = providerOf(providerId);
      if (!deps.redirectUris.has(redirectUri)) throw badUserInput('redirectUri is not one this platform sends browsers back to', 'redirectUri');
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      let url: URL;
      try {
        url = await provider.authorizationUrl({ redirectUri, state, nonce, codeVerifier });
      } catch (error) {
        if (error instanceof ProviderUnavailableError) throw unavailable(error.message);
        throw error;
      }
      const expiresAt = new Date(Date.now() + FLOW_TTL_MS);
      await prisma.signInFlow.create({
        data: { stateHash: hashState(state), provider: provider.id, purpose: userId ? 'LINK' : 'SIGN_IN', userId: userId ?? null, redirectUri, nonce, codeVerifier, expiresAt },
      });
      return { url: url.href, state, expiresAt };
    },

    /** Finishes a sign-in: the tokens `login` gives, for the linked user or a new account. */
    async complete(providerId: string, code: string, state: string, iss: string | null | undefined, client: ClientInfo): Promise<SignedIn> {
      const provider = providerOf(providerId);
      const flow = await takeFlow(provider.id, state, 'SIGN_IN', client);
      const account = await accountAt(provider, flow, code, state, iss);
      const data = identityData(provider, account);
      const identity = await prisma.identity.findUnique({ where: { provider_subject: { provider: provider.id, subject: account.subject } }, include: { user: true } });
      if (identity) {
        return accounts.startSignedIn(identity.user, client, (tx) => tx.identity.update({ where: { id: identity.id }, data: { email: data.email, emailVerified: data.emailVerified, lastUsedAt: new Date() } }));
      }
      const email = data.email ? emailSchema.safeParse(data.email) : null;
      if (email?.success) {
        const existing = await prisma.user.findUnique({ where: { email: email.data } });
        if (existing) return accountExists(provider, account, existing);
      }
      if (!email?.success || !account.emailVerified) {
        throw forbidden(`${provider.name} did not confirm an email address for this account, which a new account needs`);
      }
      return accounts.startSignedIn(await createAccount(provider, account, email.data), client);
    },

    /** Links the provider account to the signed-in user who started the flow. */
    async link(providerId: string, code: string, state: string, iss: string | null | undefined, userId: string, client: ClientInfo): Promise<Identity> {
      const provider = providerOf(providerId);
      const flow = await takeFlow(provider.id, state, 'LINK', client);
      // Someone else's link flow finished in this account would join their provider account to it.
      if (flow.userId !== userId) throw forbidden('This link was started by another account');
      const account = await accountAt(provider, flow, code, state, iss);
      const data = identityData(provider, account);
      const existing = await prisma.identity.findUnique({ where: { provider_subject: { provider: provider.id, subject: account.subject } } });
      if (existing && existing.userId !== userId) throw conflict(`This ${provider.name} account signs in to another account already`, 'provider');
      if (existing) return prisma.identity.update({ where: { id: existing.id }, data: { email: data.email, emailVerified: data.emailVerified } });
      try {
        const identity = await prisma.$transaction(async (tx) => {
          const identity = await tx.identity.create({ data: { userId, ...data } });
          await recordLinked(tx, userId, provider.id);
          return identity;
        });
        deps.eventsRecorded();
        return identity;
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`This ${provider.name} account was just linked by another request`, 'provider');
        throw error;
      }
    },

    /** The owner of an existing account confirms with its password: the provider is linked and they are signed in. */
    async confirmLink(token: string, password: string, client: ClientInfo): Promise<SignedIn> {
      const parsed = parseOpaqueToken(token);
      const pending = parsed ? await prisma.pendingLink.findUnique({ where: { id: parsed.id } }) : null;
      if (!parsed || !pending || !secretMatches(parsed.secret, pending.tokenHash) || pending.expiresAt.getTime() < Date.now()) {
        throw badUserInput('This link is unknown, used or expired: sign in with the provider again', 'token');
      }
      const user = await accounts.checkPassword(pending.email, password, client);
      if (user.id !== pending.userId) throw badUserInput('This link is unknown, used or expired: sign in with the provider again', 'token');
      const emailVerified = true;
      try {
        return await accounts.startSignedIn(user, client, async (tx) => {
          // Used once, also when confirmed twice at once.
          const claimed = await tx.pendingLink.deleteMany({ where: { id: pending.id } });
          if (claimed.count === 0) throw badUserInput('This link is unknown, used or expired: sign in with the provider again', 'token');
          await tx.identity.create({ data: { userId: user.id, provider: pending.provider, subject: pending.subject, email: pending.email, emailVerified, lastUsedAt: new Date() } });
          await recordLinked(tx, user.id, pending.provider);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('This provider account signs in to an account already', 'token');
        throw error;
      }
    },

    identitiesOf: (userId: string) => prisma.identity.findMany({ where: { userId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),

    /** Unlinks one of the user's identities, never the last way they have to sign in. */
    async unlink(userId: string, identityId: string): Promise<boolean> {
      const identity = isUuid(identityId) ? await prisma.identity.findFirst({ where: { id: identityId, userId } }) : null;
      if (!identity) throw notFound('Identity');
      await prisma.$transaction(async (tx) => {
        // Under the user's row lock: two unlinks at once cannot leave the account with no way in.
        const [user] = await tx.$queryRaw<Array<{ has_password: boolean }>>`SELECT password_hash IS NOT NULL AS has_password FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
        const others = await tx.identity.count({ where: { userId, id: { not: identity.id } } });
        if (!user?.has_password && others === 0) throw conflict('This is your only way to sign in: set a password or link another provider first', 'id');
        await tx.identity.delete({ where: { id: identity.id } });
        await authEvents.record(tx, 'auth.identity.unlinked', { userId, provider: identity.provider });
      });
      deps.eventsRecorded();
      return true;
    },
  };
}

// What the auth service publishes, declared once: other services import these contracts to
// consume them. Auth consumes no events. Each is written to the outbox inside the transaction
// of the change it announces.
import { z } from 'zod';
import { defineEvents } from '@builderai/kit';

const id = z.string().uuid();
const instant = z.string().datetime({ offset: true });

export const SESSION_REVOKED_REASONS = [
  'logout',
  'logout_all',
  'revoked_by_user',
  'password_changed',
  'password_reset',
  'account_suspended',
  'role_changed',
  'refresh_token_reuse',
] as const;
export type SessionRevokedReason = (typeof SESSION_REVOKED_REASONS)[number];

/** What `sealedToken` holds, once opened with the notifications service's key: `unseal(PASSWORD_RESET_SEAL, ...)`. */
export const PASSWORD_RESET_SEAL = 'builderai.password-reset';
export interface SealedPasswordReset {
  token: string;
  userId: string;
}

export const authEvents = defineEvents('auth', {
  'auth.user.registered': z.object({ userId: id, email: z.string(), name: z.string() }).describe('a new account; its profile follows from `name`'),
  'auth.user.logged_in': z.object({ userId: id, sessionId: id, at: instant }).describe('a session started (register or login)'),
  'auth.session.revoked': z.object({ userId: id, sessionId: id, reason: z.enum(SESSION_REVOKED_REASONS) }).describe('a session ended before its expiry'),
  'auth.password_reset.requested': z
    .object({ userId: id, email: z.string(), sealedToken: z.string(), expiresAt: instant })
    .describe('for the notification service to email; the token is sealed for it (NOTIFICATIONS_PUBLIC_KEY)'),
  'auth.identity.linked': z.object({ userId: id, provider: z.string() }).describe('a sign-in provider account now signs the user in'),
  'auth.identity.unlinked': z.object({ userId: id, provider: z.string() }).describe('a sign-in provider account no longer signs the user in'),
  'auth.user.status_changed': z.object({ userId: id, status: z.enum(['ACTIVE', 'SUSPENDED']) }).describe('an admin suspended or reactivated an account'),
  'auth.user.role_changed': z.object({ userId: id, role: z.enum(['USER', 'ADMIN']) }).describe('an account became an administrator or stopped being one'),
});

// Everything the auth service publishes, with its payload. Auth consumes no events.
// Events are written to the outbox inside the transaction of the change they announce.
import { recordEvent, type RawSql } from '@builderai/kit';

export const SOURCE = 'auth';

export type SessionRevokedReason =
  | 'logout'
  | 'logout_all'
  | 'revoked_by_user'
  | 'password_changed'
  | 'password_reset'
  | 'account_suspended'
  | 'role_changed'
  | 'refresh_token_reuse';

export interface AuthEvents {
  /** A new account; the users service creates its profile from `name`. */
  'auth.user.registered': { userId: string; email: string; name: string };
  /** A session started (register or login). `at` is ISO 8601. */
  'auth.user.logged_in': { userId: string; sessionId: string; at: string };
  'auth.session.revoked': { userId: string; sessionId: string; reason: SessionRevokedReason };
  /** For the notification service to email. The only place the plaintext token exists. */
  'auth.password_reset.requested': { userId: string; email: string; token: string; expiresAt: string };
  'auth.user.status_changed': { userId: string; status: 'ACTIVE' | 'SUSPENDED' };
  'auth.user.role_changed': { userId: string; role: 'USER' | 'ADMIN' };
}

export type AuthEventType = keyof AuthEvents;

/** Queues an auth event in the outbox of the transaction `tx`. */
export function record<T extends AuthEventType>(tx: RawSql, type: T, payload: AuthEvents[T]) {
  return recordEvent(tx, SOURCE, type, payload);
}

/** Event types this service consumes from others (none yet). */
export const CONSUMED: readonly string[] = [];

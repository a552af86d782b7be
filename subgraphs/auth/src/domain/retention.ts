// What auth deletes once it can no longer be used: sessions past their expiry (their refresh
// tokens go with them), spent refresh tokens and reset tokens, unfinished provider sign-ins. Kept a while after expiry so
// support can still see recent sign-ins.
import { DAY_MS, type RetentionRule } from '@builderai/kit';

export function authRetentionRules(expiredDays: number): RetentionRule[] {
  const keepMs = expiredDays * DAY_MS;
  return [
    { table: 'refresh_tokens', column: 'expires_at', keepMs },
    { table: 'password_reset_tokens', column: 'expires_at', keepMs },
    { table: 'sessions', column: 'expires_at', keepMs },
    // Unfinished provider sign-ins and links live minutes; nobody needs them after.
    { table: 'sign_in_flows', column: 'expires_at', keepMs: DAY_MS },
    { table: 'pending_links', column: 'expires_at', keepMs: DAY_MS },
  ];
}

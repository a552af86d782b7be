// Login statistics, kept from auth's events.
import type { RawSql } from '@builderai/kit';

/** The stats row of a newly registered user; logins counted before it arrived are kept. */
export async function createEmptyStats(tx: RawSql, userId: string): Promise<void> {
  await tx.$executeRawUnsafe(`INSERT INTO user_stats (user_id) VALUES ($1::uuid) ON CONFLICT (user_id) DO NOTHING`, userId);
}

/**
 * Counts one login. Works before the registration was processed (the row is created), and
 * a login delivered late never moves last_login back.
 */
export async function recordLogin(tx: RawSql, userId: string, at: Date): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO user_stats (user_id, login_count, last_login) VALUES ($1::uuid, 1, $2::timestamptz)
     ON CONFLICT (user_id) DO UPDATE SET
       login_count = user_stats.login_count + 1,
       last_login = GREATEST(user_stats.last_login, EXCLUDED.last_login),
       updated_at = now()`,
    userId,
    at.toISOString(),
  );
}

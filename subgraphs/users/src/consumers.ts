// The events the users service consumes, on the durable queue `users.auth-events`.
import { consumer, handleOnce } from '@builderai/kit';
import { authEvents } from '@builderai/auth/events';
import type { UsersApp } from './context.js';
import { createProfileForNewUser, displayNameFrom } from './domain/profiles.js';
import { createDefaultSettings } from './domain/settings.js';
import { createEmptyStats, recordLogin } from './domain/stats.js';

// Consumer names in processed_events: one per effect, so each is applied once.
export const authEventsConsumer = consumer(authEvents, 'users.auth-events', {
  /** The profile (no username yet), default settings and empty stats of a new account. */
  'auth.user.registered': async ({ userId, name }, event, { db }: UsersApp) => {
    await handleOnce(db, 'users.profile-on-registered', event, async (tx) => {
      await createProfileForNewUser(tx, userId, displayNameFrom(name));
      await createDefaultSettings(tx, userId);
      await createEmptyStats(tx, userId);
    });
  },
  /** login_count + 1, last_login = at. */
  'auth.user.logged_in': async ({ userId, at }, event, { db }: UsersApp) => {
    await handleOnce(db, 'users.stats-on-logged-in', event, (tx) => recordLogin(tx, userId, new Date(at)));
  },
});

// Everything the users service exchanges over the event bus, in one place.
//
// Publishes (through its outbox, in the transaction of the change):
//   users.profile.updated   ProfileUpdatedPayload   domain/profiles.ts
//   users.settings.updated  SettingsUpdatedPayload  domain/settings.ts
//
// Consumes, on the durable queue `users.auth-events`:
//   auth.user.registered  { userId, name? }  → profile (no username yet), default settings, empty stats
//   auth.user.logged_in   { userId, at? }    → login_count + 1, last_login = at (else occurredAt)
import { z } from 'zod';
import { handleOnce, type EventBus, type EventEnvelope, type Logger, type Subscription } from '@builderai/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import { createProfileForNewUser, displayNameFrom } from './domain/profiles.js';
import { createDefaultSettings } from './domain/settings.js';
import { createEmptyStats, recordLogin } from './domain/stats.js';

export { PROFILE_UPDATED, type ProfileUpdatedPayload } from './domain/profiles.js';
export { SETTINGS_UPDATED, type SettingsUpdatedPayload } from './domain/settings.js';

export const AUTH_EVENTS_QUEUE = 'users.auth-events';
export const USER_REGISTERED = 'auth.user.registered';
export const USER_LOGGED_IN = 'auth.user.logged_in';

// Consumer names in processed_events: one per effect, so each is applied once.
const ON_REGISTERED = 'users.profile-on-registered';
const ON_LOGGED_IN = 'users.stats-on-logged-in';

const registeredPayload = z.object({
  userId: z.string().uuid(),
  name: z.string().nullish(),
});

const loggedInPayload = z.object({
  userId: z.string().uuid(),
  at: z.string().datetime({ offset: true }).optional(),
});

async function onUserRegistered(db: PrismaClient, event: EventEnvelope): Promise<void> {
  const { userId, name } = registeredPayload.parse(event.payload);
  await handleOnce(db, ON_REGISTERED, event, async (tx) => {
    await createProfileForNewUser(tx, userId, displayNameFrom(name));
    await createDefaultSettings(tx, userId);
    await createEmptyStats(tx, userId);
  });
}

async function onUserLoggedIn(db: PrismaClient, event: EventEnvelope): Promise<void> {
  const { userId, at } = loggedInPayload.parse(event.payload);
  await handleOnce(db, ON_LOGGED_IN, event, (tx) => recordLogin(tx, userId, new Date(at ?? event.occurredAt)));
}

/**
 * Starts consuming auth's events. A handler that throws (e.g. a malformed payload or the
 * database being down) has its event retried with backoff, then dead-lettered.
 */
export function consumeAuthEvents(bus: EventBus, db: PrismaClient, logger: Logger): Promise<Subscription> {
  return bus.consume({
    queue: AUTH_EVENTS_QUEUE,
    patterns: [USER_REGISTERED, USER_LOGGED_IN],
    handler: async (event) => {
      if (event.type === USER_REGISTERED) await onUserRegistered(db, event);
      else if (event.type === USER_LOGGED_IN) await onUserLoggedIn(db, event);
      else logger.warn({ type: event.type, eventId: event.id }, 'ignored an event of an unexpected type');
    },
  });
}

// Private account settings: their rules, the user's own updates and the defaults of a new
// account (the column defaults in schema.prisma).
import { badUserInput, jsonObject, type EventPayload, type RawSql } from '@builderai/kit';
import { usersEvents } from '../events.js';
import type { AccountSettings, PrismaClient, Prisma, Theme } from '../generated/prisma/client.ts';

export const LANGUAGE_MAX = 35;
export const PREFERENCES_MAX_BYTES = 16_384;

// A language and optional subtags, e.g. en, en-US, zh-Hant-TW, es-419.
const LANGUAGE_PATTERN = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

export type SettingsUpdatedPayload = EventPayload<typeof usersEvents, 'users.settings.updated'>;

/** What a client may send; omitted (or null) fields stay as they are. */
export interface SettingsInput {
  emailNotifications?: boolean | null;
  pushNotifications?: boolean | null;
  theme?: Theme | null;
  language?: string | null;
  preferences?: unknown;
}

export interface SettingsChanges {
  emailNotifications?: boolean;
  pushNotifications?: boolean;
  theme?: Theme;
  language?: string;
  preferences?: Prisma.InputJsonObject;
}

/** A well-formed BCP 47 tag in its canonical case (en-us → en-US), or undefined. */
export function canonicalLanguage(raw: string): string | undefined {
  const tag = raw.trim();
  if (tag.length > LANGUAGE_MAX || !LANGUAGE_PATTERN.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

const parsePreferences = (raw: unknown) => jsonObject<Prisma.InputJsonObject>(raw, 'preferences', PREFERENCES_MAX_BYTES);

/** Validates a partial update; throws BAD_USER_INPUT naming the first bad field. */
export function parseSettingsInput(input: SettingsInput): SettingsChanges {
  const changes: SettingsChanges = {};
  if (input.emailNotifications != null) changes.emailNotifications = input.emailNotifications;
  if (input.pushNotifications != null) changes.pushNotifications = input.pushNotifications;
  if (input.theme != null) changes.theme = input.theme;
  if (input.language != null) {
    const language = canonicalLanguage(input.language);
    if (!language) throw badUserInput('language must be a language tag such as en or en-US', 'language');
    changes.language = language;
  }
  if (input.preferences != null) changes.preferences = parsePreferences(input.preferences);
  return changes;
}

export function settingsUpdatedPayload(settings: AccountSettings): SettingsUpdatedPayload {
  return {
    userId: settings.userId,
    emailNotifications: settings.emailNotifications,
    pushNotifications: settings.pushNotifications,
    theme: settings.theme,
    language: settings.language,
    updatedAt: settings.updatedAt.toISOString(),
  };
}

/**
 * Applies the user's changes (creating the settings with defaults if needed) and records
 * `users.settings.updated` in the same transaction.
 */
export async function updateSettings(db: PrismaClient, userId: string, input: SettingsInput): Promise<AccountSettings | null> {
  const changes = parseSettingsInput(input);
  if (Object.keys(changes).length === 0) return db.accountSettings.findUnique({ where: { userId } });
  return db.$transaction(async (tx) => {
    const settings = await tx.accountSettings.upsert({ where: { userId }, create: { userId, ...changes }, update: changes });
    await usersEvents.record(tx, 'users.settings.updated', settingsUpdatedPayload(settings));
    return settings;
  });
}

/** Default settings for a newly registered user; settings they already saved are kept. */
export async function createDefaultSettings(tx: RawSql, userId: string): Promise<void> {
  await tx.$executeRawUnsafe(`INSERT INTO account_settings (user_id) VALUES ($1::uuid) ON CONFLICT (user_id) DO NOTHING`, userId);
}

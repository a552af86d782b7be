// Public profiles: the rules of their fields, the user's own updates and the profile a new
// account starts with.
import { badUserInput, conflict, isUniqueViolation, optionalText, type EventPayload, type RawSql } from '@builderai/kit';
import { usersEvents } from '../events.js';
import type { PrismaClient, Profile } from '../generated/prisma/client.ts';

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 30;
export const NAME_MAX = 100;
export const BIO_MAX = 500;
export const AVATAR_URL_MAX = 2048;

const USERNAME_PATTERN = /^[a-z0-9_]+$/;

export type ProfileUpdatedPayload = EventPayload<typeof usersEvents, 'users.profile.updated'>;

/** What a client may send; undefined leaves a field as it is, null clears it. */
export interface ProfileInput {
  name?: string | null;
  username?: string | null;
  avatarUrl?: string | null;
  bio?: string | null;
}

/** Validated changes, named after the columns. */
export interface ProfileChanges {
  name?: string | null;
  username?: string;
  avatar?: string | null;
  bio?: string | null;
}

/** Usernames compare case-insensitively, so they are stored lowercase. */
export function normalizeUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Why a (normalized) username is not acceptable, or undefined when it is. */
export function usernameProblem(username: string): string | undefined {
  if (username.length < USERNAME_MIN || username.length > USERNAME_MAX) {
    return `Username must be ${USERNAME_MIN} to ${USERNAME_MAX} characters long`;
  }
  if (!USERNAME_PATTERN.test(username)) return 'Username may contain only letters a-z, digits and underscores';
  return undefined;
}

function parseUsername(raw: string | null): string {
  if (raw === null) throw badUserInput('Username cannot be removed', 'username');
  const username = normalizeUsername(raw);
  const problem = usernameProblem(username);
  if (problem) throw badUserInput(problem, 'username');
  return username;
}

function parseAvatarUrl(raw: string | null): string | null {
  const text = raw?.trim() ?? '';
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUserInput('avatarUrl must be a valid URL', 'avatarUrl');
  }
  if (url.protocol !== 'https:') throw badUserInput('avatarUrl must be an https URL', 'avatarUrl');
  if (url.username || url.password) throw badUserInput('avatarUrl must not contain credentials', 'avatarUrl');
  const normalized = url.toString();
  if (normalized.length > AVATAR_URL_MAX) throw badUserInput(`avatarUrl must be at most ${AVATAR_URL_MAX} characters long`, 'avatarUrl');
  return normalized;
}

/** Validates a partial update; throws BAD_USER_INPUT naming the first bad field. */
export function parseProfileInput(input: ProfileInput): ProfileChanges {
  const changes: ProfileChanges = {};
  if (input.name !== undefined) changes.name = optionalText(input.name, 'name', NAME_MAX);
  if (input.username !== undefined) changes.username = parseUsername(input.username);
  if (input.avatarUrl !== undefined) changes.avatar = parseAvatarUrl(input.avatarUrl);
  if (input.bio !== undefined) changes.bio = optionalText(input.bio, 'bio', BIO_MAX);
  return changes;
}

/** A display name from another service: trimmed and cut to fit rather than refused. */
export function displayNameFrom(raw: string | null | undefined): string | null {
  const name = raw?.trim() ?? '';
  return name === '' ? null : [...name].slice(0, NAME_MAX).join('');
}

export function profileUpdatedPayload(profile: Profile): ProfileUpdatedPayload {
  return {
    userId: profile.userId,
    name: profile.name,
    username: profile.username,
    avatarUrl: profile.avatar,
    bio: profile.bio,
    updatedAt: profile.updatedAt.toISOString(),
  };
}

/**
 * Applies the user's changes (creating the profile if it does not exist yet) and records
 * `users.profile.updated` in the same transaction. Returns the profile, or null when
 * nothing was asked to change and there is no profile.
 */
export async function updateProfile(db: PrismaClient, userId: string, input: ProfileInput): Promise<Profile | null> {
  const changes = parseProfileInput(input);
  if (Object.keys(changes).length === 0) return db.profile.findUnique({ where: { userId } });
  try {
    return await db.$transaction(async (tx) => {
      const profile = await tx.profile.upsert({ where: { userId }, create: { userId, ...changes }, update: changes });
      await usersEvents.record(tx, 'users.profile.updated', profileUpdatedPayload(profile));
      return profile;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'username')) throw conflict('This username is already taken', 'username');
    throw error;
  }
}

/**
 * The profile of a newly registered user. A profile the user already created keeps its
 * fields; only a missing name is filled in.
 */
export async function createProfileForNewUser(tx: RawSql, userId: string, name: string | null): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO profiles (user_id, name) VALUES ($1::uuid, $2)
     ON CONFLICT (user_id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
       WHERE profiles.name IS NULL AND EXCLUDED.name IS NOT NULL`,
    userId,
    name,
  );
}

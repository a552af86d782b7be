// Input rules. A broken rule is a BAD_USER_INPUT naming the field, raised before any write.
import { z } from 'zod';
import { badUserInput } from '@builderai/kit';

export const PASSWORD_MIN_LENGTH = 10;
// argon2 accepts anything, but hashing megabytes is a cheap denial of service.
export const PASSWORD_MAX_LENGTH = 128;

// The most common choices that still pass the length rule.
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '0123456789',
  '1q2w3e4r5t',
  'qwertyuiop',
  'password12',
  'password123',
  'password1234',
  'iloveyou12',
  'letmein123',
  'welcome123',
  'administrator',
  'passw0rd123',
  'qwerty1234',
  'abcdefghij',
  '1qaz2wsx3edc',
]);

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export const emailSchema = z
  .string()
  .transform(normalizeEmail)
  .pipe(z.string().max(254, 'Email is too long').email('Email is not valid'));

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(100, 'Name must be at most 100 characters');

/** Why a password is too weak, or undefined when it is acceptable. */
export function passwordWeakness(password: string, email?: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (new Set(password).size < 4) return 'Password is too repetitive';
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) return 'Password is too common';
  const localPart = email ? normalizeEmail(email).split('@')[0] : '';
  if (localPart.length >= 3 && lowered.includes(localPart)) return 'Password must not contain the email address';
  return undefined;
}

/** Parses `value` or throws BAD_USER_INPUT with the first problem and the field name. */
export function parseField<T extends z.ZodTypeAny>(schema: T, value: unknown, field: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw badUserInput(result.error.issues[0]?.message ?? `${field} is not valid`, field);
  return result.data;
}

export function assertStrongPassword(password: string, field: string, email?: string): void {
  const weakness = passwordWeakness(password, email);
  if (weakness) throw badUserInput(weakness, field);
}

const uuid = z.string().uuid();
/** Ids are UUIDs in the database; anything else can match nothing. */
export const isUuid = (value: string) => uuid.safeParse(value).success;

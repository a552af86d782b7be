// What every service checks of free-form client input the same way; a bad field is
// BAD_USER_INPUT naming it.
import { badUserInput } from './errors.js';

// Counts characters as people see them (code points), not UTF-16 units.
export const textLength = (text: string): number => [...text].length;

/** Trimmed text of at most `max` characters; blank (or null) clears the field. */
export function optionalText(raw: string | null, field: string, max: number): string | null {
  const text = raw?.trim() ?? '';
  if (text === '') return null;
  if (textLength(text) > max) throw badUserInput(`${field} must be at most ${max} characters long`, field);
  return text;
}

/** Trimmed text of at most `max` characters that may not be blank. */
export function requiredText(raw: string | null, field: string, max: number): string {
  const text = optionalText(raw, field, max);
  if (text === null) throw badUserInput(`${field} is required`, field);
  return text;
}

/** A JSON object of at most `maxBytes` once serialized (settings, preferences...). */
export function jsonObject<T = Record<string, unknown>>(raw: unknown, field: string, maxBytes: number): T {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badUserInput(`${field} must be a JSON object`, field);
  if (Buffer.byteLength(JSON.stringify(raw)) > maxBytes) throw badUserInput(`${field} must be at most ${maxBytes} bytes of JSON`, field);
  return raw as T;
}

// JSON text of single values, as JSON.stringify writes them, for the executor's text writers:
// most strings need no escaping and are quoted as they are, which is about twice as fast as
// calling JSON.stringify for each short value.

/** A character JSON.stringify would escape (control, quote, backslash) or check (a surrogate). */
const needsEscaping = /["\\\u0000-\u001f\ud800-\udfff]/;

export const jsonString = (value: string): string => (needsEscaping.test(value) ? JSON.stringify(value) : `"${value}"`);

/** Any JSON value (JSON.stringify's text; undefined for undefined). */
export function jsonValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return JSON.stringify(value);
  }
}

// Whether a configured secret could be guessed: a placeholder copied from an example, or too
// little randomness (a repeated or dictionary-like string). 128 bits is the bar.
const PLACEHOLDERS = /change[-_ ]?me|changeit|placeholder|example|default|your[-_]?secret|^(secret|password)/i;
const MIN_BITS = 128;

/** Shannon entropy of the string's own characters, in bits: a generous estimate of its randomness. */
function estimatedBits(secret: string): number {
  const counts = new Map<string, number>();
  for (const char of secret) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const count of counts.values()) {
    const p = count / secret.length;
    bitsPerChar -= p * Math.log2(p);
  }
  return bitsPerChar * secret.length;
}

/** The shortest prefix that the secret merely repeats ('abcabcabc' → 'abc'). */
function repeatedUnit(secret: string): string {
  for (let period = 1; period <= secret.length / 2; period++) {
    if (secret.length % period === 0 && secret.slice(period) === secret.slice(0, -period)) return secret.slice(0, period);
  }
  return secret;
}

/** Why the secret is unfit, or undefined when it will do. */
export function secretWeakness(secret: string): string | undefined {
  if (secret.length < 32) return 'must be at least 32 characters';
  if (PLACEHOLDERS.test(secret)) return 'is a placeholder; generate one (e.g. openssl rand -hex 32)';
  if (estimatedBits(repeatedUnit(secret)) < MIN_BITS) return 'is too predictable; generate one (e.g. openssl rand -hex 32)';
  return undefined;
}

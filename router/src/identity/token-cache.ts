// Verified access tokens, kept until they expire so a token's signature is checked once, not
// on every request. Bounded: past the limit the oldest entry goes (Map keeps insertion order).
import type { Identity } from '@builderai/kit';

interface Entry {
  identity: Identity;
  expiresAtMs: number;
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 10_000) {}

  /** The cached identity, or undefined when unknown or expired (an expired entry is dropped). */
  get(token: string, nowMs = Date.now()): Identity | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.identity;
  }

  set(token: string, identity: Identity, expiresAtMs: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { identity, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }
}

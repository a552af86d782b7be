// Password hashing with argon2id. A dummy hash with the same cost lets an unknown email take
// as long to reject as a wrong password.
import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm } from '@node-rs/argon2';
import { z } from 'zod';
import { variable, type ConfigOf } from '@builderai/kit';

// The package's Algorithm is a `const enum` (unreadable under isolated modules, empty at runtime).
const ARGON2ID = 2 as Algorithm.Argon2id;

// The defaults are OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
export const argon2Variables = {
  memoryCost: variable('AUTH_ARGON2_MEMORY_KIB', z.coerce.number().int().min(1024).default(19_456)),
  timeCost: variable('AUTH_ARGON2_TIME_COST', z.coerce.number().int().positive().default(2)),
  parallelism: variable('AUTH_ARGON2_PARALLELISM', z.coerce.number().int().positive().default(1)),
};

export type Argon2Cost = ConfigOf<typeof argon2Variables>;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a malformed stored hash. */
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** Spends the time of one verification and always answers false. */
  verifyDummy(password: string): Promise<false>;
  /** True when the hash was made with another cost than today's (rehash after login). */
  needsRehash(passwordHash: string): boolean;
}

export async function createPasswordHasher(cost: Argon2Cost): Promise<PasswordHasher> {
  const options = { algorithm: ARGON2ID, ...cost };
  const hashPassword = (password: string) => hash(password, options);
  const check = (passwordHash: string, password: string) => verify(passwordHash, password).catch(() => false);
  const dummyHash = await hashPassword(randomBytes(32).toString('base64url'));

  return {
    hash: hashPassword,
    verify: check,
    async verifyDummy(password) {
      await check(dummyHash, password);
      return false;
    },
    needsRehash(passwordHash) {
      try {
        const used = parseOptions(passwordHash);
        return (
          used.algorithm !== ARGON2ID ||
          used.memoryCost !== cost.memoryCost ||
          used.timeCost !== cost.timeCost ||
          used.parallelism !== cost.parallelism
        );
      } catch {
        return true;
      }
    },
  };
}

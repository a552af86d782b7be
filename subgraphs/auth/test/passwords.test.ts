import { createPasswordHasher } from '../src/domain/passwords.js';

// A low cost keeps the suite fast; the rules do not depend on it.
const cost = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

describe('password hashing', () => {
  it('hashes with argon2id and a random salt', async () => {
    const hasher = await createPasswordHasher(cost);
    const first = await hasher.hash('correct horse battery staple');
    const second = await hasher.hash('correct horse battery staple');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(first).not.toBe(second);
  });

  it('verifies the right password only', async () => {
    const hasher = await createPasswordHasher(cost);
    const stored = await hasher.hash('correct horse battery staple');
    await expect(hasher.verify(stored, 'correct horse battery staple')).resolves.toBe(true);
    await expect(hasher.verify(stored, 'correct horse battery stable')).resolves.toBe(false);
    await expect(hasher.verify('not a hash', 'anything')).resolves.toBe(false);
  });

  it('answers false for the dummy, whatever the password', async () => {
    const hasher = await createPasswordHasher(cost);
    await expect(hasher.verifyDummy('correct horse battery staple')).resolves.toBe(false);
  });

  it('asks for a rehash when the cost changed', async () => {
    const old = await (await createPasswordHasher(cost)).hash('correct horse battery staple');
    const current = await createPasswordHasher({ ...cost, timeCost: 2 });
    expect(current.needsRehash(old)).toBe(true);
    expect(current.needsRehash(await current.hash('correct horse battery staple'))).toBe(false);
  });
});

import { emailSchema, isUuid, nameSchema, parseField, passwordWeakness } from '../src/domain/validation.js';

describe('password policy', () => {
  it('accepts a long, varied password', () => {
    expect(passwordWeakness('correct horse battery staple')).toBeUndefined();
    expect(passwordWeakness('Tr0ub4dor&3x')).toBeUndefined();
  });

  it('refuses short, over-long, repetitive and common passwords', () => {
    expect(passwordWeakness('short1!')).toMatch(/at least 10/);
    expect(passwordWeakness('x'.repeat(129) + 'abc')).toMatch(/at most 128/);
    expect(passwordWeakness('aaaaaaaaaaaa')).toMatch(/repetitive/);
    expect(passwordWeakness('abababababab')).toMatch(/repetitive/);
    expect(passwordWeakness('Password123')).toMatch(/common/);
  });

  it('refuses a password containing the email name', () => {
    expect(passwordWeakness('jane.doe-2024!', 'Jane.Doe@example.com')).toMatch(/email/);
    expect(passwordWeakness('jane.doe-2024!', 'someone@example.com')).toBeUndefined();
  });
});

describe('email', () => {
  it('is trimmed and lowercased', () => {
    expect(parseField(emailSchema, '  Jane.Doe@Example.COM ', 'email')).toBe('jane.doe@example.com');
  });

  it('refuses what is not an address, naming the field', () => {
    for (const bad of ['', 'jane', 'jane@', '@example.com', 'jane doe@example.com', `${'a'.repeat(250)}@example.com`]) {
      expect(() => parseField(emailSchema, bad, 'email')).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'email' }) }),
      );
    }
  });
});

describe('name and ids', () => {
  it('requires a name of at most 100 characters', () => {
    expect(parseField(nameSchema, '  Jane  ', 'name')).toBe('Jane');
    expect(() => parseField(nameSchema, '   ', 'name')).toThrow(/required/);
    expect(() => parseField(nameSchema, 'x'.repeat(101), 'name')).toThrow(/100/);
  });

  it('recognizes UUIDs', () => {
    expect(isUuid('0b7f6f9e-8d7a-4c4e-9a53-3f1f4b0f2a11')).toBe(true);
    expect(isUuid('1; DROP TABLE users')).toBe(false);
  });
});

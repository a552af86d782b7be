import { GraphQLError } from 'graphql';
import { displayNameFrom, normalizeUsername, parseProfileInput, usernameProblem } from '../src/domain/profiles.js';

function fieldOf(run: () => unknown): { code: unknown; field: unknown } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const { code, field } = (error as GraphQLError).extensions;
    return { code, field };
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

describe('username rules', () => {
  it.each(['abc', 'ada_lovelace', 'a1_b2', 'x'.repeat(30), '___', '123'])('accepts %s', (username) => {
    expect(usernameProblem(username)).toBeUndefined();
  });

  it.each(['ab', 'x'.repeat(31), 'ada lovelace', 'ada-lovelace', 'ada.l', 'adà', 'ada!', ''])('refuses %j', (username) => {
    expect(usernameProblem(username)).toEqual(expect.any(String));
  });

  it('compares case-insensitively by storing lowercase', () => {
    expect(normalizeUsername('  Ada_Lovelace ')).toBe('ada_lovelace');
    expect(parseProfileInput({ username: 'ADA_1' })).toEqual({ username: 'ada_1' });
  });

  it('refuses a bad username as BAD_USER_INPUT on the username field', () => {
    expect(fieldOf(() => parseProfileInput({ username: 'no spaces' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'username' });
    expect(fieldOf(() => parseProfileInput({ username: null }))).toEqual({ code: 'BAD_USER_INPUT', field: 'username' });
  });
});

describe('profile input', () => {
  it('keeps omitted fields and clears null or blank ones', () => {
    expect(parseProfileInput({})).toEqual({});
    expect(parseProfileInput({ name: null, bio: '   ', avatarUrl: null })).toEqual({ name: null, bio: null, avatar: null });
    expect(parseProfileInput({ name: '  Ada  ' })).toEqual({ name: 'Ada' });
  });

  it('limits name to 100 and bio to 500 characters (not UTF-16 units)', () => {
    expect(parseProfileInput({ name: '😀'.repeat(100) }).name).toHaveLength(200);
    expect(fieldOf(() => parseProfileInput({ name: 'x'.repeat(101) }))).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(parseProfileInput({ bio: 'x'.repeat(500) }).bio).toHaveLength(500);
    expect(fieldOf(() => parseProfileInput({ bio: 'x'.repeat(501) }))).toEqual({ code: 'BAD_USER_INPUT', field: 'bio' });
  });

  it('takes only https avatar URLs', () => {
    expect(parseProfileInput({ avatarUrl: 'https://cdn.example.com/a.png' })).toEqual({ avatar: 'https://cdn.example.com/a.png' });
    for (const avatarUrl of ['http://cdn.example.com/a.png', 'javascript:alert(1)', 'not a url', 'https://user:pw@example.com/a.png']) {
      expect(fieldOf(() => parseProfileInput({ avatarUrl }))).toEqual({ code: 'BAD_USER_INPUT', field: 'avatarUrl' });
    }
  });

  it('takes a registered name as it comes, cut to fit', () => {
    expect(displayNameFrom('  Ada ')).toBe('Ada');
    expect(displayNameFrom('')).toBeNull();
    expect(displayNameFrom(undefined)).toBeNull();
    expect(displayNameFrom('x'.repeat(150))).toHaveLength(100);
  });
});

import { GraphQLError } from 'graphql';
import { canonicalLanguage, parseSettingsInput } from '../src/domain/settings.js';

function badField(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return (error as GraphQLError).extensions.field;
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

describe('settings input', () => {
  it('accepts language tags in their canonical case', () => {
    expect(canonicalLanguage('en')).toBe('en');
    expect(canonicalLanguage('en-us')).toBe('en-US');
    expect(canonicalLanguage('zh-hant-tw')).toBe('zh-Hant-TW');
    expect(canonicalLanguage('es-419')).toBe('es-419');
  });

  it.each(['', 'e', 'english', 'en_US', 'en-', '12', 'en-US-' + 'x'.repeat(40)])('refuses the language %j', (language) => {
    expect(canonicalLanguage(language)).toBeUndefined();
    expect(badField(() => parseSettingsInput({ language }))).toBe('language');
  });

  it('keeps omitted and null fields', () => {
    expect(parseSettingsInput({})).toEqual({});
    expect(parseSettingsInput({ emailNotifications: null, theme: null })).toEqual({});
    expect(parseSettingsInput({ pushNotifications: false, theme: 'DARK' })).toEqual({ pushNotifications: false, theme: 'DARK' });
  });

  it('takes preferences as a bounded JSON object', () => {
    expect(parseSettingsInput({ preferences: { editor: { fontSize: 14 } } })).toEqual({ preferences: { editor: { fontSize: 14 } } });
    for (const preferences of [[1, 2], 'dark', 3, true]) expect(badField(() => parseSettingsInput({ preferences }))).toBe('preferences');
    expect(badField(() => parseSettingsInput({ preferences: { blob: 'x'.repeat(20_000) } }))).toBe('preferences');
  });
});

import { GraphQLError } from 'graphql';
import { normalizeFilePath, parseFilePath, PATH_MAX_LENGTH } from '../src/domain/file-paths.js';

describe('file paths', () => {
  it.each([
    ['index.html', 'index.html', 'index.html'],
    ['assets/app.js', 'assets/app.js', 'app.js'],
    ['./assets/app.js', 'assets/app.js', 'app.js'],
    ['././a/./b/./c.css', 'a/b/c.css', 'c.css'],
    ['  logo.png  ', 'logo.png', 'logo.png'],
    ['résumé.pdf', 'résumé.pdf', 'résumé.pdf'],
    // Decomposed "é" (e + combining accent) is stored composed, so one name is one path.
    ['re\u0301sume\u0301.pdf', 'résumé.pdf', 'résumé.pdf'],
    ['.well-known/x.json', '.well-known/x.json', 'x.json'],
    ['a..b.txt', 'a..b.txt', 'a..b.txt'],
  ])('normalises %j to %j', (raw, path, name) => {
    expect(parseFilePath(raw)).toEqual({ path, name });
  });

  it.each([
    ['../x', '".."'],
    ['a/../b', '".."'],
    ['a/..', '".."'],
    ['/etc/passwd', 'relative'],
    ['//server/share', 'relative'],
    ['C:/Windows/x', 'relative'],
    ['c:x', 'relative'],
    ['a\\b', 'backslashes'],
    ['..\\..\\x', 'backslashes'],
    ['x\u0000.png', 'control'],
    ['x\n.png', 'control'],
    ['x\u007f', 'control'],
    ['x\u0085', 'control'],
    ['a//b', 'empty segments'],
    ['a/', 'empty segments'],
    ['', 'name a file'],
    ['   ', 'name a file'],
    ['.', 'name a file'],
    ['./', 'empty segments'],
    ['x'.repeat(PATH_MAX_LENGTH + 1), `${PATH_MAX_LENGTH} characters`],
  ])('refuses %j', (raw, reason) => {
    const parsed = parseFilePath(raw);
    expect(parsed).toEqual({ problem: expect.stringContaining(reason) });
  });

  it('accepts exactly the longest path', () => {
    expect(parseFilePath('x'.repeat(PATH_MAX_LENGTH))).toEqual({ path: 'x'.repeat(PATH_MAX_LENGTH), name: 'x'.repeat(PATH_MAX_LENGTH) });
  });

  it('refuses as BAD_USER_INPUT on the name field', () => {
    try {
      normalizeFilePath('../x');
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    }
  });
});

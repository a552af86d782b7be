// The apply_edit tool's search/replace blocks: exact, ordered, all or nothing, and errors the
// model can retry from (nearest places with their lines, indentation slips, ambiguous searches).
import { applyEdits, describeEditError, type EditError, type EditResult } from '../src/domain/tools/apply-edit.js';

const FILE = [
  "import { db } from './db';", // 1
  '', // 2
  'export async function findUser(id: string) {', // 3
  '  const user = await db.user.findUnique({ where: { id } });', // 4
  '  if (!user) return null;', // 5
  '  return user;', // 6
  '}', // 7
  '', // 8
  'export async function findOrder(id: string) {', // 9
  '  const order = await db.order.findUnique({ where: { id } });', // 10
  '  if (!order) return null;', // 11
  '  return { ...order, total: order.items.reduce((sum, item) => sum + item.price, 0) };', // 12
  '}', // 13
  '',
].join('\n');

const textOf = (result: EditResult) => {
  if (!result.ok) throw new Error(describeEditError(result.error));
  return result.text;
};
const errorOf = (result: EditResult): EditError => {
  if (result.ok) throw new Error('expected the edits to fail');
  return result.error;
};

test('one exact edit; `$&` in the replacement stays literal', () => {
  const result = applyEdits(FILE, [{ search: '  return user;', replace: "  return { ...user, tag: '$&' };" }]);
  expect(result).toMatchObject({ ok: true, applied: 1 });
  expect(textOf(result)).toBe(FILE.replace('  return user;', () => "  return { ...user, tag: '$&' };"));
});

test('several edits apply in order, each to the text the previous one left', () => {
  const result = applyEdits(FILE, [
    { search: 'findUser(id: string)', replace: 'findUserById(id: string)' },
    { search: 'findUserById(id: string) {', replace: 'findUserById(id: string): Promise<User | null> {' },
    { search: "import { db } from './db';", replace: "import { db } from './db';\nimport type { User } from './types';" },
  ]);
  expect(result).toMatchObject({ ok: true, applied: 3 });
  const lines = textOf(result).split('\n');
  expect(lines[1]).toBe("import type { User } from './types';");
  expect(lines[3]).toBe('export async function findUserById(id: string): Promise<User | null> {');
});

test('all or nothing: a later edit failing leaves no text, and says which edit', () => {
  const result = applyEdits(FILE, [
    { search: '  return user;', replace: '  return { ...user };' },
    { search: 'export function missing() {}', replace: '' },
  ]);
  expect(result.ok).toBe(false);
  expect(result).not.toHaveProperty('text');
  const error = errorOf(result);
  expect(error).toMatchObject({ code: 'NO_MATCH', editIndex: 1 });
  expect(describeEditError(error)).toContain('No edit was applied; the file is unchanged.');
});

test('no match: the nearest place, its lines and exact text, for the model to retry', () => {
  // The model remembered the order lookup slightly wrong (findFirst, a different guard).
  const search = [
    '  const order = await db.order.findFirst({ where: { id } });',
    '  if (order === null) return null;',
  ].join('\n');
  const error = errorOf(applyEdits(FILE, [{ search, replace: 'x' }]));
  expect(error.code).toBe('NO_MATCH');
  expect(error.editIndex).toBe(0);
  expect(error.message).toContain('edits[0]');
  expect(error.message).toContain('not found');
  const [best] = error.candidates!;
  expect(best).toMatchObject({ startLine: 10, endLine: 11 });
  expect(best.text).toBe(FILE.split('\n').slice(9, 11).join('\n'));
  expect(best.similarity).toBeGreaterThan(0.7);
  expect(best.similarity).toBeLessThan(1);
  expect(best.indentationOnly).toBeUndefined();
  expect(error.candidates!.length).toBeLessThanOrEqual(3);
  const described = describeEditError(error);
  expect(described).toContain('Lines 10–11');
  expect(described).toContain(best.text);
});

test('no match on text that resembles nothing: no candidates, and the model is told so', () => {
  const error = errorOf(applyEdits(FILE, [{ search: 'SELECT * FROM invoices WHERE paid = false', replace: '' }]));
  expect(error.candidates).toEqual([]);
  expect(describeEditError(error)).toContain('Nothing in the file resembles it');
});

test('a search off only by indentation is recognized, with the exact text at that place', () => {
  const search = 'const user = await db.user.findUnique({ where: { id } });\nif (!user) return null;\n';
  const error = errorOf(applyEdits(FILE, [{ search, replace: '' }]));
  expect(error.code).toBe('NO_MATCH');
  expect(error.message).toContain('matches lines 4–5 if indentation is ignored');
  expect(error.candidates).toEqual([
    {
      startLine: 4,
      endLine: 5,
      text: '  const user = await db.user.findUnique({ where: { id } });\n  if (!user) return null;',
      similarity: 1,
      indentationOnly: true,
    },
  ]);
  expect(describeEditError(error)).toContain('Lines 4–5, matches if indentation is ignored');
});

test('a search found several times: how many, at which lines, and a request for more context', () => {
  const error = errorOf(applyEdits(FILE, [{ search: ' return null;', replace: ' return undefined;' }]));
  expect(error).toMatchObject({ code: 'MANY_MATCHES', editIndex: 0, matchCount: 2, matchLines: [5, 11] });
  expect(error.message).toContain('matches 2 places (lines 5, 11)');
  expect(describeEditError(error)).toContain('add surrounding lines');
});

test('an empty search is refused, except as the whole content of an empty file', () => {
  const refused = errorOf(applyEdits(FILE, [{ search: '', replace: 'x' }]));
  expect(refused).toMatchObject({ code: 'EMPTY_SEARCH', editIndex: 0 });
  const created = applyEdits('', [
    { search: '', replace: '{\n  "name": "shop"\n}\n' },
    { search: '"shop"', replace: '"socks"' },
  ]);
  expect(textOf(created)).toBe('{\n  "name": "socks"\n}\n');
  expect(errorOf(applyEdits('', [{ search: '', replace: 'a' }, { search: '', replace: 'b' }])).code).toBe('EMPTY_SEARCH');
});

test('a malformed edit is an error, not an exception', () => {
  const error = errorOf(applyEdits(FILE, [{ search: 'x' } as never]));
  expect(error).toMatchObject({ code: 'INVALID_EDIT', editIndex: 0 });
});

test('a CRLF file matches an LF search and stays CRLF', () => {
  const crlf = '{\r\n  "name": "shop",\r\n  "version": "1.0.0"\r\n}\r\n';
  const result = applyEdits(crlf, [{ search: '  "name": "shop",\n  "version": "1.0.0"', replace: '  "name": "shop",\n  "version": "1.1.0"' }]);
  expect(textOf(result)).toBe('{\r\n  "name": "shop",\r\n  "version": "1.1.0"\r\n}\r\n');
  // An LF file stays LF even when the model writes CRLF.
  expect(textOf(applyEdits('a\nb\n', [{ search: 'a\r\nb', replace: 'c\r\nd' }]))).toBe('c\nd\n');
});

test('a 5,000-line file: a missing search is answered with its nearest place', () => {
  const lines = Array.from({ length: 5000 }, (_, i) => `  const value${i} = compute(${i}, "label-${i % 97}") + offset * ${i % 13};`);
  const text = lines.join('\n');
  const search = [
    '  const value4200 = compute(4200, "label-29") + offset * 1;',
    '  const value4201 = compute(4201, "label-30") + offset * 2;',
    '  const value4202 = compute(4202, "label-31") + offset * 99;', // the model got this one wrong
  ].join('\n');
  const error = errorOf(applyEdits(text, [{ search, replace: '' }]));
  expect(error.candidates![0]).toMatchObject({ startLine: 4201, endLine: 4203 });

  // A large search (about 50 KB) still finds its place (past a size, edit distance is skipped).
  const big = lines.slice(1000, 1800).join('\n').replace('value1500 ', 'value1500x ');
  expect(big.length).toBeGreaterThan(45_000);
  const bigError = errorOf(applyEdits(text, [{ search: big, replace: '' }]));
  expect(bigError.candidates![0]).toMatchObject({ startLine: 1001, endLine: 1800, truncated: true });
  expect(bigError.candidates![0].text.split('\n')).toHaveLength(20);
});

test('unicode text: edits, nearest places and bounded candidates keep characters whole', () => {
  const text = '# Café 🍰\n\nBienvenue à la pâtisserie — 日本語のメニュー\nPrix: 5 €\n';
  expect(textOf(applyEdits(text, [{ search: 'Prix: 5 €', replace: 'Prix: 6 € 🎉' }]))).toBe(
    '# Café 🍰\n\nBienvenue à la pâtisserie — 日本語のメニュー\nPrix: 6 € 🎉\n',
  );
  const error = errorOf(applyEdits(text, [{ search: 'Bienvenue a la patisserie — 日本語のメニュ', replace: '' }]));
  expect(error.candidates![0]).toMatchObject({ startLine: 3, endLine: 3, text: 'Bienvenue à la pâtisserie — 日本語のメニュー' });

  // A long line of emoji cut at 2,000 characters does not end on half of one.
  const line = `a${'🍰'.repeat(1500)}`;
  const cut = errorOf(applyEdits(`${line}\n`, [{ search: `a${'🍰'.repeat(1400)}🎂`, replace: '' }]));
  const shown = cut.candidates![0];
  expect(shown.truncated).toBe(true);
  expect(shown.text).toBe(`a${'🍰'.repeat(999)}`);
});

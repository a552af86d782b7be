import { diffLines, myers, splitLines, unifiedDiff } from '../src/domain/checkpoints/unified-diff.js';

/** "line 1\n" … "line n\n". */
function lines(n: number, name = (i: number) => `line ${i}`): string {
  return Array.from({ length: n }, (_, i) => `${name(i + 1)}\n`).join('');
}

const TWENTY = lines(20);

describe('unifiedDiff', () => {
  it('gives an empty diff for identical texts', () => {
    expect(unifiedDiff('a.txt', TWENTY, TWENTY)).toEqual({ diff: '', added: 0, removed: 0, truncated: false });
    expect(unifiedDiff('a.txt', '', '')).toEqual({ diff: '', added: 0, removed: 0, truncated: false });
  });

  it('prints one changed line with three lines of context', () => {
    const result = unifiedDiff('src/app.js', TWENTY, TWENTY.replace('line 10\n', 'line ten\n'));
    expect(result.diff).toBe(
      [
        '--- a/src/app.js',
        '+++ b/src/app.js',
        '@@ -7,7 +7,7 @@',
        ' line 7',
        ' line 8',
        ' line 9',
        '-line 10',
        '+line ten',
        ' line 11',
        ' line 12',
        ' line 13',
        '',
      ].join('\n'),
    );
    expect(result).toMatchObject({ added: 1, removed: 1, truncated: false });
  });

  it('prints distant changes as two hunks', () => {
    const after = TWENTY.replace('line 3\n', 'x\n').replace('line 17\n', 'y\n');
    expect(unifiedDiff('a.txt', TWENTY, after).diff).toBe(
      [
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -1,6 +1,6 @@',
        ' line 1',
        ' line 2',
        '-line 3',
        '+x',
        ' line 4',
        ' line 5',
        ' line 6',
        '@@ -14,7 +14,7 @@',
        ' line 14',
        ' line 15',
        ' line 16',
        '-line 17',
        '+y',
        ' line 18',
        ' line 19',
        ' line 20',
        '',
      ].join('\n'),
    );
  });

  it('merges changes whose context overlaps or touches into one hunk', () => {
    // Six unchanged lines between the changes: their contexts touch.
    const after = TWENTY.replace('line 5\n', 'x\n').replace('line 12\n', 'y\n');
    expect(unifiedDiff('a.txt', TWENTY, after).diff).toBe(
      [
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -2,14 +2,14 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+x',
        ' line 6',
        ' line 7',
        ' line 8',
        ' line 9',
        ' line 10',
        ' line 11',
        '-line 12',
        '+y',
        ' line 13',
        ' line 14',
        ' line 15',
        '',
      ].join('\n'),
    );
    // Seven unchanged lines between them: two hunks.
    const apart = unifiedDiff('a.txt', TWENTY, TWENTY.replace('line 5\n', 'x\n').replace('line 13\n', 'y\n'));
    expect(apart.diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -2,7 +2,7 @@', '@@ -10,7 +10,7 @@']);
  });

  it('prints a created file against /dev/null', () => {
    expect(unifiedDiff('index.html', null, '<h1>\nhi\n</h1>\n')).toEqual({
      diff: ['--- /dev/null', '+++ b/index.html', '@@ -0,0 +1,3 @@', '+<h1>', '+hi', '+</h1>', ''].join('\n'),
      added: 3,
      removed: 0,
      truncated: false,
    });
  });

  it('prints a deleted file against /dev/null', () => {
    expect(unifiedDiff('old.css', 'a {}\n', null)).toEqual({
      diff: ['--- a/old.css', '+++ /dev/null', '@@ -1 +0,0 @@', '-a {}', ''].join('\n'),
      added: 0,
      removed: 1,
      truncated: false,
    });
  });

  it('marks a missing final newline on the old side', () => {
    expect(unifiedDiff('a.txt', 'a\nb\nc', 'a\nb\nc\n').diff).toBe(
      [
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -1,3 +1,3 @@',
        ' a',
        ' b',
        '-c',
        '\\ No newline at end of file',
        '+c',
        '',
      ].join('\n'),
    );
  });

  it('marks a missing final newline on the new side', () => {
    expect(unifiedDiff('a.txt', 'a\nb\nc\n', 'a\nb\nd').diff).toBe(
      [
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -1,3 +1,3 @@',
        ' a',
        ' b',
        '-c',
        '+d',
        '\\ No newline at end of file',
        '',
      ].join('\n'),
    );
  });

  it('marks a missing final newline on an unchanged context line', () => {
    expect(unifiedDiff('a.txt', 'a\nb\nc', 'a\nB\nc').diff).toBe(
      [
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -1,3 +1,3 @@',
        ' a',
        '-b',
        '+B',
        ' c',
        '\\ No newline at end of file',
        '',
      ].join('\n'),
    );
  });

  it('names an empty range by the line before it when there is no context', () => {
    const inserted = unifiedDiff('a.txt', TWENTY, TWENTY.replace('line 5\n', 'line 5\nnew\n'), { context: 0 });
    expect(inserted.diff).toBe(['--- a/a.txt', '+++ b/a.txt', '@@ -5,0 +6 @@', '+new', ''].join('\n'));
    const deleted = unifiedDiff('a.txt', TWENTY, TWENTY.replace('line 1\n', ''), { context: 0 });
    expect(deleted.diff).toBe(['--- a/a.txt', '+++ b/a.txt', '@@ -1 +0,0 @@', '-line 1', ''].join('\n'));
  });

  it('compares CRLF lines as they are', () => {
    const result = unifiedDiff('a.txt', 'a\r\nb\r\n', 'a\nb\r\n');
    expect(result.diff).toBe(['--- a/a.txt', '+++ b/a.txt', '@@ -1,2 +1,2 @@', '-a\r', '+a', ' b\r', ''].join('\n'));
  });

  it('counts added and removed lines', () => {
    const before = 'keep\nold 1\nold 2\nold 3\nkeep\n';
    const after = 'keep\nnew 1\nkeep\nmore\n';
    const result = unifiedDiff('a.txt', before, after);
    expect(result).toMatchObject({ added: 2, removed: 3 });
    expect(result.diff.split('\n').filter((l) => /^\+(?!\+\+ )/.test(l))).toHaveLength(2);
    expect(result.diff.split('\n').filter((l) => /^-(?!-- )/.test(l))).toHaveLength(3);
  });

  it('finds a shortest edit script and lists deletions before insertions', () => {
    const edits = diffLines(splitLines('a\nb\nc\na\nb\nb\na\n'), splitLines('c\nb\na\nb\na\nc\n'));
    // The example of Myers' paper: edit distance 5.
    expect(edits.filter((e) => e.kind !== ' ')).toHaveLength(5);
    const kinds = edits.map((e) => e.kind).join('');
    expect(kinds).not.toMatch(/\+-/);
  });

  it('diffs a 10,000-line file with one change', () => {
    const before = lines(10_000);
    const after = before.replace('line 5000\n', 'changed\n');
    const result = unifiedDiff('big.txt', before, after);
    expect(result.diff).toContain('@@ -4997,7 +4997,7 @@\n line 4997\n line 4998\n line 4999\n-line 5000\n+changed\n');
    expect(result).toMatchObject({ added: 1, removed: 1, truncated: false });
  });

  it('diffs scattered changes in a large file with the search, not the fallback', () => {
    const before = lines(10_000);
    const after = lines(10_000, (i) => (i % 100 === 0 ? `edited ${i}` : `line ${i}`));
    const result = unifiedDiff('big.txt', before, after, { maxLines: Infinity });
    expect(result).toMatchObject({ added: 100, removed: 100, truncated: false });
  });

  it('replaces a completely different 5,000-line file wholesale, the search giving up at its bound', () => {
    const before = lines(5_000, (i) => `old ${i}`);
    const after = lines(5_000, (i) => `new ${i}`);
    expect(myers(splitLines(before), splitLines(after))).toBeNull();

    const result = unifiedDiff('big.txt', before, after, { maxLines: Infinity });
    const out = result.diff.split('\n');
    expect(out.slice(0, 4)).toEqual(['--- a/big.txt', '+++ b/big.txt', '@@ -1,5000 +1,5000 @@', '-old 1']);
    expect(out[3 + 5_000]).toBe('+new 1');
    expect(out).toHaveLength(3 + 10_000 + 1);
    expect(result).toMatchObject({ added: 5_000, removed: 5_000, truncated: false });
  });

  it('keeps the common start and end of a file it replaces wholesale', () => {
    const before = `head\n${lines(3_000, (i) => `old ${i}`)}tail\n`;
    const after = `head\n${lines(3_000, (i) => `new ${i}`)}tail\n`;
    const result = unifiedDiff('a.txt', before, after, { maxLines: Infinity });
    expect(result.diff.split('\n').slice(0, 5)).toEqual(['--- a/a.txt', '+++ b/a.txt', '@@ -1,3002 +1,3002 @@', ' head', '-old 1']);
    expect(result.diff.endsWith('+new 3000\n tail\n')).toBe(true);
  });

  it('cuts the output at maxLines', () => {
    const before = lines(5_000, (i) => `old ${i}`);
    const after = lines(5_000, (i) => `new ${i}`);
    const result = unifiedDiff('big.txt', before, after);
    expect(result.truncated).toBe(true);
    expect(result.diff.split('\n')).toHaveLength(2_000 + 1);
    expect(result).toMatchObject({ added: 5_000, removed: 5_000 });

    const small = unifiedDiff('a.txt', TWENTY, TWENTY.replace('line 10\n', 'line ten\n'), { maxLines: 6 });
    expect(small).toMatchObject({ truncated: true, added: 1, removed: 1 });
    expect(small.diff).toBe(['--- a/a.txt', '+++ b/a.txt', '@@ -7,7 +7,7 @@', ' line 7', ' line 8', ' line 9', ''].join('\n'));

    const exact = unifiedDiff('a.txt', TWENTY, TWENTY.replace('line 10\n', 'line ten\n'), { maxLines: 11 });
    expect(exact.truncated).toBe(false);
  });
});

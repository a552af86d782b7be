// Unified diffs of one file between two checkpoints, printed the way `diff -u` and `git diff`
// print them. Lines are compared exactly as stored (a CRLF line differs from its LF twin) and
// a line keeps its terminator, so "x" at the end of a file without a newline differs from "x\n".
// The caller passes text only; binary content is decided elsewhere.

export interface UnifiedDiffOptions {
  /** Unchanged lines shown around each change; 3 as in `diff -u`. */
  context?: number;
  /** Most lines of output, headers included; the rest is cut off and `truncated` is set. */
  maxLines?: number;
}

export interface UnifiedDiff {
  /** The diff text, ending with a newline; empty when no line changed. */
  diff: string;
  /** Lines added and removed over the whole file, even when the text is truncated. */
  added: number;
  removed: number;
  truncated: boolean;
}

export const DEFAULT_CONTEXT = 3;
export const DEFAULT_MAX_LINES = 2_000;
/** Beyond this many inserted plus deleted lines the search stops and the middle is replaced wholesale. */
export const MAX_EDIT_DISTANCE = 2_000;
/** Bound on the search's steps (diagonals visited plus lines compared), whatever the file sizes. */
export const MAX_SEARCH_WORK = 20_000_000;

const NO_NEWLINE = '\\ No newline at end of file';

/** One line of the edit script; `text` keeps its "\n" unless it is a file's unterminated last line. */
export interface Edit {
  kind: ' ' | '-' | '+';
  text: string;
}

/**
 * The unified diff turning `before` into `after`. `null` stands for a file that does not exist
 * on that side (created or deleted), printed as /dev/null.
 */
export function unifiedDiff(
  path: string,
  before: string | null,
  after: string | null,
  options: UnifiedDiffOptions = {},
): UnifiedDiff {
  const context = Math.max(0, Math.floor(options.context ?? DEFAULT_CONTEXT));
  const maxLines = Math.max(0, options.maxLines ?? DEFAULT_MAX_LINES);
  const edits = diffLines(splitLines(before ?? ''), splitLines(after ?? ''));

  let added = 0;
  let removed = 0;
  for (const edit of edits) {
    if (edit.kind === '+') added++;
    else if (edit.kind === '-') removed++;
  }
  if (added === 0 && removed === 0) return { diff: '', added, removed, truncated: false };

  const out: string[] = [];
  let truncated = false;
  const emit = (line: string): boolean => {
    if (out.length >= maxLines) {
      truncated = true;
      return false;
    }
    out.push(line);
    return true;
  };

  emit(before === null ? '--- /dev/null' : `--- a/${path}`);
  emit(after === null ? '+++ /dev/null' : `+++ b/${path}`);
  for (const hunk of hunks(edits, context)) {
    if (!emit(hunk.header)) break;
    for (let i = hunk.start; i < hunk.end; i++) {
      const { kind, text } = edits[i];
      const terminated = text.endsWith('\n');
      if (!emit(kind + (terminated ? text.slice(0, -1) : text))) break;
      if (!terminated && !emit(NO_NEWLINE)) break;
    }
    if (truncated) break;
  }
  return { diff: out.length ? out.join('\n') + '\n' : '', added, removed, truncated };
}

/** Lines with their "\n"; a last line without one stays unterminated. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * The edit script from `a` to `b`, with each run of changes written as its deletions then its
 * insertions, as diff prints them. Common leading and trailing lines are matched first; the
 * rest goes to Myers' search, or, when that would exceed its bounds, is replaced wholesale.
 */
export function diffLines(a: string[], b: string[]): Edit[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const oldMiddle = a.slice(prefix, a.length - suffix);
  const newMiddle = b.slice(prefix, b.length - suffix);

  const middle = myers(oldMiddle, newMiddle) ?? [
    ...oldMiddle.map((text): Edit => ({ kind: '-', text })),
    ...newMiddle.map((text): Edit => ({ kind: '+', text })),
  ];
  return groupChanges([
    ...a.slice(0, prefix).map((text): Edit => ({ kind: ' ', text })),
    ...middle,
    ...a.slice(a.length - suffix).map((text): Edit => ({ kind: ' ', text })),
  ]);
}

/**
 * A shortest edit script by Myers' greedy O((N+M)D) algorithm ("An O(ND) Difference Algorithm
 * and Its Variations", 1986), or null when it would take more than `maxEdits` edits or
 * `maxWork` steps to find.
 */
export function myers(
  a: string[],
  b: string[],
  maxEdits = MAX_EDIT_DISTANCE,
  maxWork = MAX_SEARCH_WORK,
): Edit[] | null {
  const n = a.length;
  const m = b.length;
  // At least |N - M| edits are needed.
  if (Math.abs(n - m) > maxEdits) return null;

  // Compare numbers, not strings: equal lines share an id.
  const ids = new Map<string, number>();
  const idOf = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const x0 = a.map(idOf);
  const y0 = b.map(idOf);

  // v[offset + k] is the furthest x reached on diagonal k = x - y; trace[d] keeps v[-d..d]
  // after step d, for walking the path back.
  const limit = Math.min(maxEdits, n + m);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  let work = 0;
  for (let d = 0; d <= limit; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1] // down: insert b[y - 1]
          : v[offset + k - 1] + 1; // right: delete a[x - 1]
      let y = x - k;
      const snakeStart = x;
      while (x < n && y < m && x0[x] === y0[y]) {
        x++;
        y++;
      }
      work += 1 + x - snakeStart;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(offset - d, offset + d + 1));
        return backtrack(a, b, trace);
      }
    }
    if (work > maxWork) return null;
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  return null;
}

/** Walks the furthest-reaching paths back from (N, M) to (0, 0). */
function backtrack(a: string[], b: string[], trace: Int32Array[]): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d - 1]; // v[-(d - 1)..d - 1]
    const at = (k: number) => previous[k + d - 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    // The snake after the edit: matching lines back to the edit's end point.
    const snakeStart = down ? previousX : previousX + 1;
    while (x > snakeStart) {
      x--;
      y--;
      edits.push({ kind: ' ', text: a[x] });
    }
    edits.push(down ? { kind: '+', text: b[previousY] } : { kind: '-', text: a[previousX] });
    x = previousX;
    y = previousY;
  }
  while (x > 0) {
    x--;
    edits.push({ kind: ' ', text: a[x] });
  }
  return edits.reverse();
}

/** Within each run of consecutive changes, deletions first and insertions after. */
function groupChanges(edits: Edit[]): Edit[] {
  const result: Edit[] = [];
  let insertions: Edit[] = [];
  for (const edit of edits) {
    if (edit.kind === '+') {
      insertions.push(edit);
      continue;
    }
    if (edit.kind === ' ' && insertions.length) {
      result.push(...insertions);
      insertions = [];
    }
    result.push(edit);
  }
  result.push(...insertions);
  return result;
}

interface Hunk {
  header: string;
  /** Range of the edit script it shows. */
  start: number;
  end: number;
}

/** Changes with `context` lines around them; changes whose context touches or overlaps share a hunk. */
function hunks(edits: Edit[], context: number): Hunk[] {
  const result: Hunk[] = [];
  // oldBefore[i] / newBefore[i]: lines of each side before edits[i].
  const oldBefore = new Int32Array(edits.length + 1);
  const newBefore = new Int32Array(edits.length + 1);
  for (let i = 0; i < edits.length; i++) {
    oldBefore[i + 1] = oldBefore[i] + (edits[i].kind === '+' ? 0 : 1);
    newBefore[i + 1] = newBefore[i] + (edits[i].kind === '-' ? 0 : 1);
  }

  let i = 0;
  while (i < edits.length) {
    if (edits[i].kind === ' ') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    // Extend over every change separated from the previous one by at most 2 * context lines.
    let lastChange = i;
    for (let j = i + 1; j < edits.length && j - lastChange - 1 <= 2 * context; j++) {
      if (edits[j].kind !== ' ') lastChange = j;
    }
    const end = Math.min(edits.length, lastChange + 1 + context);
    const oldCount = oldBefore[end] - oldBefore[start];
    const newCount = newBefore[end] - newBefore[start];
    result.push({
      header: `@@ -${range(oldBefore[start], oldCount)} +${range(newBefore[start], newCount)} @@`,
      start,
      end,
    });
    i = end;
  }
  return result;
}

/** "start,count" as diff prints it: the count omitted when 1, and an empty range named by the line before it. */
function range(linesBefore: number, count: number): string {
  const start = count === 0 ? linesBefore : linesBefore + 1;
  return count === 1 ? `${start}` : `${start},${count}`;
}

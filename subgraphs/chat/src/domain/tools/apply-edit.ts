// The apply_edit tool: the model changes a file with search/replace blocks instead of rewriting
// it whole (a rewrite costs the whole file in tokens, and drops whatever the model forgot to
// copy back). Pure: the file's text in, the new text or an error the model can act on out.
//
// Rules:
// - Edits apply in order, each to the text as the previous ones left it; all or nothing.
// - Each search must occur exactly once (overlapping occurrences count), so an edit never lands
//   in a place the model did not mean.
// - An empty search is refused, except on an empty text, where its replace is the whole content
//   (creating a file's content); after it the text is no longer empty.
// - Line endings: CRLF in the file, the search or the replace is matched as LF. A file whose line
//   breaks are mostly CRLF is written back with CRLF, any other with LF (a file mixing both comes
//   back with one style).
// - No edits: the text back unchanged, applied 0.

export interface Edit {
  search: string;
  replace: string;
}

export interface EditCandidate {
  /** 1-based, inclusive, in the text the failing edit saw. */
  startLine: number;
  endLine: number;
  /** The text at those lines, exactly (LF), at most 20 lines and 2,000 characters. */
  text: string;
  /** 0 to 1; 1 when only the whitespace at the start and end of lines differs. */
  similarity: number;
  /** The search equals these lines once each line's leading/trailing whitespace is ignored. */
  indentationOnly?: true;
  /** `text` shows only the start of the lines. */
  truncated?: true;
}

export type EditErrorCode = 'INVALID_EDIT' | 'EMPTY_SEARCH' | 'NO_MATCH' | 'MANY_MATCHES';

export interface EditError {
  code: EditErrorCode;
  /** 0-based index of the failing edit in the list. */
  editIndex: number;
  message: string;
  /** NO_MATCH: the places most like the search, best first (may be empty). */
  candidates?: EditCandidate[];
  /** MANY_MATCHES: how many (counted up to 1,000) and the lines of the first ones. */
  matchCount?: number;
  matchLines?: number[];
}

export type EditResult = { ok: true; text: string; applied: number } | { ok: false; error: EditError };

const MAX_CANDIDATES = 3;
const CANDIDATE_MAX_LINES = 20;
const CANDIDATE_MAX_CHARS = 2000;
// Below this, a "nearest" place would mislead more than help.
const MIN_SIMILARITY = 0.3;
// The cheap token score ranks every window; only this many get the costly edit distance.
const WINDOWS_RESCORED = 10;
// Edit distance costs len(a) × len(b); past this, the token score stands in for it.
const MAX_DISTANCE_CELLS = 500_000;
const MAX_MATCHES_COUNTED = 1000;
const MATCH_LINES_SHOWN = 10;

export function applyEdits(text: string, edits: readonly Edit[]): EditResult {
  const crlf = mostlyCrlf(text);
  let current = toLf(text);
  for (let index = 0; index < edits.length; index++) {
    const edit = edits[index];
    // The model's arguments are JSON it wrote; a malformed block must not throw.
    if (typeof edit?.search !== 'string' || typeof edit?.replace !== 'string') {
      return failed({ code: 'INVALID_EDIT', editIndex: index, message: `edits[${index}] needs a "search" and a "replace" string.` });
    }
    const search = toLf(edit.search);
    const replace = toLf(edit.replace);
    if (search === '') {
      if (current === '') {
        current = replace;
        continue;
      }
      return failed({
        code: 'EMPTY_SEARCH',
        editIndex: index,
        message: `edits[${index}] has an empty search; only an empty file takes one. Copy the lines to change into search.`,
      });
    }
    const at = current.indexOf(search);
    if (at < 0) return failed(noMatch(current, search, index));
    if (current.indexOf(search, at + 1) >= 0) return failed(manyMatches(current, search, index, at));
    // Slices, not String.replace: `$&` or `$1` in the new code must stay literal.
    current = current.slice(0, at) + replace + current.slice(at + search.length);
  }
  return { ok: true, text: crlf ? current.replace(/\n/g, '\r\n') : current, applied: edits.length };
}

/** What the tool call returns to the model when an edit fails. */
export function describeEditError(error: EditError): string {
  const parts = [error.message, 'No edit was applied; the file is unchanged.'];
  const candidates = error.candidates ?? [];
  if (error.code === 'NO_MATCH' && candidates.length > 0) {
    parts.push('Nearest text in the file (copy it exactly into search, then retry):');
    for (const c of candidates) {
      const note = c.indentationOnly ? 'matches if indentation is ignored' : `similarity ${c.similarity.toFixed(2)}`;
      const more = c.truncated ? ' (only its start shown)' : '';
      parts.push(`Lines ${c.startLine}–${c.endLine}, ${note}${more}:\n${fenced(c.text)}`);
    }
  } else if (error.code === 'NO_MATCH') {
    parts.push('Nothing in the file resembles it; read the file again before editing.');
  }
  return parts.join('\n');
}

function failed(error: EditError): EditResult {
  return { ok: false, error };
}

const toLf = (text: string) => text.replace(/\r\n/g, '\n');

function mostlyCrlf(text: string): boolean {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = text.match(/\n/g)?.length ?? 0;
  return crlf * 2 > lf;
}

function manyMatches(text: string, search: string, editIndex: number, first: number): EditError {
  const matchLines: number[] = [];
  let matchCount = 0;
  let line = 1;
  let counted = 0; // newlines counted up to here
  for (let at = first; at >= 0 && matchCount < MAX_MATCHES_COUNTED; at = text.indexOf(search, at + 1)) {
    matchCount++;
    if (matchLines.length === MATCH_LINES_SHOWN) continue;
    for (; counted < at; counted++) if (text.charCodeAt(counted) === 10) line++;
    if (matchLines.at(-1) !== line) matchLines.push(line);
  }
  const count = matchCount === MAX_MATCHES_COUNTED ? `at least ${matchCount}` : String(matchCount);
  const more = matchCount > matchLines.length ? ', …' : '';
  return {
    code: 'MANY_MATCHES',
    editIndex,
    matchCount,
    matchLines,
    message:
      `edits[${editIndex}]: the search text matches ${count} places (lines ${matchLines.join(', ')}${more}); ` +
      'it must match exactly once: add surrounding lines to the search to tell them apart.',
  };
}

function noMatch(text: string, search: string, editIndex: number): EditError {
  const lines = text.split('\n');
  const trimmed = lines.map((line) => line.trim());
  const wanted = withoutBlankEdges(search.split('\n').map((line) => line.trim()));
  const notFound = `edits[${editIndex}]: the search text was not found in the file.`;
  if (wanted.length === 0) return { code: 'NO_MATCH', editIndex, message: notFound, candidates: [] };

  // Indentation is the model's most common slip, so it is checked (and named) first.
  const loose = looseMatches(trimmed, wanted);
  if (loose.length > 0) {
    const candidates = loose.slice(0, MAX_CANDIDATES).map((start) => candidate(lines, start, wanted.length, 1, true));
    const where =
      loose.length === 1
        ? `it matches lines ${candidates[0].startLine}–${candidates[0].endLine} if indentation is ignored`
        : `it matches ${loose.length} places if indentation is ignored`;
    return { code: 'NO_MATCH', editIndex, message: `${notFound} Whitespace differs: ${where}.`, candidates };
  }
  const candidates = nearest(trimmed, wanted).map(({ start, similarity }) =>
    candidate(lines, start, Math.min(wanted.length, lines.length), similarity),
  );
  return { code: 'NO_MATCH', editIndex, message: notFound, candidates };
}

function withoutBlankEdges(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === '') start++;
  while (end > start && lines[end - 1] === '') end--;
  return lines.slice(start, end);
}

/** Starts of the windows whose trimmed lines equal the trimmed search lines. */
function looseMatches(trimmed: string[], wanted: string[]): number[] {
  const starts: number[] = [];
  for (let start = 0; start + wanted.length <= trimmed.length; start++) {
    let same = 0;
    while (same < wanted.length && trimmed[start + same] === wanted[same]) same++;
    if (same === wanted.length) starts.push(start);
  }
  return starts;
}

// Words (any script) and single punctuation marks.
const TOKEN = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;
const tokensOf = (text: string) => text.match(TOKEN) ?? [];

/**
 * The windows of the search's line count most like it. Every window gets a token-overlap score
 * (Dice), kept up to date as the window slides, so the whole pass is linear in the text; the
 * best distinct windows are then rescored by edit distance on their trimmed lines.
 */
function nearest(trimmed: string[], wanted: string[]): Array<{ start: number; similarity: number }> {
  const size = Math.min(wanted.length, trimmed.length);
  const want = wanted.join('\n');
  const wantTokens = tokensOf(want);
  const need = new Map<string, number>();
  for (const token of wantTokens) need.set(token, (need.get(token) ?? 0) + 1);

  const lineTokens = trimmed.map(tokensOf);
  const have = new Map<string, number>(); // only tokens the search has
  let overlap = 0;
  let windowTokens = 0;
  const slide = (line: number, step: 1 | -1) => {
    for (const token of lineTokens[line]) {
      windowTokens += step;
      const needed = need.get(token);
      if (needed === undefined) continue;
      const had = have.get(token) ?? 0;
      have.set(token, had + step);
      // Overlap counts min(have, need): it moves only while have is under need.
      if (step === 1 ? had < needed : had <= needed) overlap += step;
    }
  };
  const scores = new Float64Array(trimmed.length - size + 1);
  for (let line = 0; line < size; line++) slide(line, 1);
  for (let start = 0; start < scores.length; start++) {
    if (start > 0) {
      slide(start - 1, -1);
      slide(start + size - 1, 1);
    }
    const total = windowTokens + wantTokens.length;
    scores[start] = total === 0 ? 0 : (2 * overlap) / total;
  }

  // The best windows that do not overlap each other: neighbours of a good window are near copies.
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
  const picked: number[] = [];
  for (const start of order) {
    if (picked.length === WINDOWS_RESCORED || scores[start] === 0) break;
    if (picked.every((other) => Math.abs(other - start) >= size)) picked.push(start);
  }
  return picked
    .map((start) => {
      const there = trimmed.slice(start, start + size).join('\n');
      return { start, similarity: editSimilarity(want, there) ?? scores[start] };
    })
    .filter(({ similarity }) => similarity >= MIN_SIMILARITY)
    .sort((a, b) => b.similarity - a.similarity || a.start - b.start)
    .slice(0, MAX_CANDIDATES);
}

/** 1 − Levenshtein distance / longer length; undefined when too costly to compute. */
function editSimilarity(a: string, b: string): number | undefined {
  if (a.length * b.length > MAX_DISTANCE_CELLS) return undefined;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  let row = new Uint32Array(b.length + 1);
  let next = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    next[0] = i;
    const ca = a.charCodeAt(i - 1);
    // Plain comparisons and a swap of rows: Math.min and destructuring made this loop many times slower.
    for (let j = 1; j <= b.length; j++) {
      let best = row[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      if (row[j] + 1 < best) best = row[j] + 1;
      if (next[j - 1] + 1 < best) best = next[j - 1] + 1;
      next[j] = best;
    }
    const done = row;
    row = next;
    next = done;
  }
  return 1 - row[b.length] / longer;
}

function candidate(lines: string[], start: number, count: number, similarity: number, indentationOnly = false): EditCandidate {
  const shownLines = lines.slice(start, start + Math.min(count, CANDIDATE_MAX_LINES)).join('\n');
  let text = shownLines.slice(0, CANDIDATE_MAX_CHARS);
  // Never end on half of a surrogate pair (an emoji cut in two).
  if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
  const truncated = count > CANDIDATE_MAX_LINES || shownLines.length > CANDIDATE_MAX_CHARS;
  return {
    startLine: start + 1,
    endLine: start + count,
    text,
    similarity: Math.round(similarity * 100) / 100,
    ...(indentationOnly ? { indentationOnly: true as const } : {}),
    ...(truncated ? { truncated: true as const } : {}),
  };
}

/** A markdown fence longer than any run of backticks in the text (which may be markdown). */
function fenced(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${text}\n${fence}`;
}

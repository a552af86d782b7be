// The AI's file tools on a turn's workspace: what the model reads and writes, the errors it can
// act on, and the change set a turn commits (each change with the version it was made on).
import { runTool, READ_MAX_LINES } from '../src/domain/tools/run-tool.js';
import { TurnWorkspace } from '../src/domain/tools/workspace.js';
import type { FileChange, ProjectFiles, ProjectFileText } from '../src/domain/tools/project-files.js';
import { createHash } from 'node:crypto';

const checksum = (text: string) => createHash('sha256').update(text).digest('hex');

/** The project's files as the files service holds them, counting reads. */
function projectFiles(files: Record<string, string | Buffer>) {
  const reads: string[] = [];
  const lists: number[] = [];
  const commits: FileChange[][] = [];
  const entries = (): ProjectFileText[] =>
    Object.entries(files).map(([path, content]) => ({ path, size: Buffer.byteLength(content), checksum: checksum(content.toString()), text: typeof content === 'string' ? content : null }));
  const source: ProjectFiles = {
    list: async () => {
      lists.push(Date.now());
      return entries().map(({ text: _text, ...entry }) => entry);
    },
    read: async (path) => {
      reads.push(path);
      return entries().find((entry) => entry.path === path) ?? null;
    },
    commit: async (_messageId, changes) => {
      commits.push(changes);
      return 'checkpoint-1';
    },
  };
  return { source, reads, lists, commits };
}

const LIMITS = { fileMaxBytes: 1000, turnMaxBytes: 1500 };
const PAGE = '<!doctype html>\n<h1>Hello</h1>\n<p>One</p>\n<p>One</p>\n';

function workspaceOf(files: Record<string, string | Buffer> = { 'index.html': PAGE, 'logo.png': Buffer.from([0x89, 0x50]) }) {
  const project = projectFiles(files);
  const workspace = new TurnWorkspace(project.source, LIMITS);
  const call = (name: string, args: unknown) => runTool(workspace, name, typeof args === 'string' ? args : JSON.stringify(args));
  return { ...project, workspace, call };
}

test('list_files and read_file show the project, a range of lines, and say where a long file goes on', async () => {
  const { call } = workspaceOf({ 'index.html': PAGE, 'big.txt': Array.from({ length: READ_MAX_LINES + 10 }, (_, i) => `line ${i + 1}`).join('\n') });
  expect(await call('list_files', {})).toEqual({ ok: true, result: `big.txt (${Buffer.byteLength(Array.from({ length: READ_MAX_LINES + 10 }, (_, i) => `line ${i + 1}`).join('\n'))} bytes)\nindex.html (${Buffer.byteLength(PAGE)} bytes)` });
  expect(await call('read_file', { path: 'index.html' })).toEqual({ ok: true, result: `index.html (4 lines):\n${PAGE.trimEnd()}` });
  expect(await call('read_file', { path: './index.html', start_line: 2, end_line: 3 })).toEqual({ ok: true, result: 'index.html, lines 2-3 of 4; read on with start_line 4:\n<h1>Hello</h1>\n<p>One</p>' });
  const long = await call('read_file', { path: 'big.txt' });
  expect(long.ok && long.result.split('\n')[0]).toBe(`big.txt, lines 1-${READ_MAX_LINES} of ${READ_MAX_LINES + 10}; read on with start_line ${READ_MAX_LINES + 1}:`);
  expect(await call('read_file', { path: 'big.txt', start_line: READ_MAX_LINES + 1 })).toMatchObject({ ok: true, result: expect.stringMatching(/lines 2001-2010 of 2010:\nline 2001\n/) });
});

test('bad arguments and unknown files come back as errors the model can act on, changing nothing', async () => {
  const { call, workspace } = workspaceOf();
  const errors = [
    [await call('read_file', { path: 'missing.html' }), /There is no file missing.html/],
    [await call('read_file', { path: 'logo.png' }), /logo.png is not a text file/],
    [await call('read_file', { path: 'index.html', start_line: 9 }), /has 4 lines; start_line 9 is past its end/],
    [await call('read_file', { path: 'index.html', start_line: 0 }), /start_line must be a whole number from 1/],
    [await call('write_file', { path: '../other-project/index.html', content: 'x' }), /must not contain "\.\." segments/],
    [await call('write_file', { path: '/etc/passwd', content: 'x' }), /must be relative to the project/],
    [await call('write_file', { path: 'app.exe', content: 'x' }), /Only text files can be written/],
    [await call('write_file', { path: 'index.html' }), /content must be a string/],
    [await call('write_file', '{"path": "index.html", "content": '), /not valid JSON/],
    [await call('write_file', '[1]'), /must be a JSON object/],
    [await call('delete_file', { path: 'nothing.txt' }), /There is no file nothing.txt/],
    [await call('rename_file', { from: 'index.html', to: 'index.html' }), /the same path/],
    [await call('run_shell', { command: 'rm -rf /' }), /There is no tool run_shell/],
  ] as const;
  for (const [outcome, message] of errors) {
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toMatch(message);
  }
  expect(await workspace.changeSet()).toEqual([]);
});

test('apply_edit changes one place, and a search that matches twice is refused with the lines of each match', async () => {
  const { call, workspace } = workspaceOf();
  const twice = await call('apply_edit', { path: 'index.html', edits: [{ search: '<p>One</p>', replace: '<p>Two</p>' }] });
  expect(twice.ok).toBe(false);
  expect(!twice.ok && twice.error).toMatch(/matches 2 places/i);
  expect(!twice.ok && twice.error).toMatch(/lines? 3/);
  expect(await workspace.changeSet()).toEqual([]);

  const once = await call('apply_edit', { path: 'index.html', edits: [{ search: '<p>One</p>\n<p>One</p>', replace: '<p>One</p>\n<p>Two</p>' }] });
  expect(once).toEqual({ ok: true, result: 'Applied 1 edit to index.html.' });
  expect(await call('read_file', { path: 'index.html', start_line: 4, end_line: 4 })).toMatchObject({ result: expect.stringMatching(/\n<p>Two<\/p>$/) });
  expect(await workspace.changeSet()).toEqual([{ path: 'index.html', text: PAGE.replace(/One<\/p>\n$/, 'Two</p>\n'), ifChecksum: checksum(PAGE) }]);
});

test('the change set holds each path once, with the version it was made on; a rewrite to the same text is no change', async () => {
  const { call, workspace, reads } = workspaceOf({ 'index.html': PAGE, 'old.css': 'a{}', 'gone.js': 'x()' });
  await call('write_file', { path: 'app.js', content: 'console.log(1)' });
  await call('write_file', { path: 'app.js', content: 'console.log(2)' });
  await call('rename_file', { from: 'old.css', to: 'styles/main.css' });
  await call('delete_file', { path: 'gone.js' });
  await call('read_file', { path: 'index.html' });
  await call('write_file', { path: 'index.html', content: PAGE });
  expect(await call('list_files', {})).toMatchObject({ result: `app.js (14 bytes)\nindex.html (${Buffer.byteLength(PAGE)} bytes)\nstyles/main.css (3 bytes)` });
  expect(await workspace.changeSet()).toEqual([
    { path: 'app.js', text: 'console.log(2)', ifChecksum: '' },
    { path: 'styles/main.css', text: 'a{}', ifChecksum: '' },
    { path: 'old.css', text: null, ifChecksum: checksum('a{}') },
    { path: 'gone.js', text: null, ifChecksum: checksum('x()') },
  ]);
  // A file is fetched once per turn; later reads see the turn's own changes.
  expect(reads.filter((path) => path === 'index.html')).toHaveLength(1);
  expect(await call('read_file', { path: 'gone.js' })).toMatchObject({ ok: false, error: expect.stringMatching(/deleted in this turn/) });
});

test('a file or a turn past its size limit is refused before anything is sent', async () => {
  const { call, workspace } = workspaceOf({});
  expect(await call('write_file', { path: 'a.txt', content: 'x'.repeat(1001) })).toMatchObject({ ok: false, error: expect.stringMatching(/at most 1000/) });
  expect(await call('write_file', { path: 'a.txt', content: 'x'.repeat(900) })).toMatchObject({ ok: true });
  // Rewriting the same file counts its new size only.
  expect(await call('write_file', { path: 'a.txt', content: 'y'.repeat(900) })).toMatchObject({ ok: true });
  expect(await call('write_file', { path: 'b.txt', content: 'z'.repeat(700) })).toMatchObject({ ok: false, error: expect.stringMatching(/as much as one answer may/) });
  expect((await workspace.changeSet()).map((change) => change.path)).toEqual(['a.txt']);
});

test('an answer that changed nothing asks the files service nothing', async () => {
  const { workspace, lists, reads } = workspaceOf();
  expect(await workspace.changeSet()).toEqual([]);
  expect(lists).toHaveLength(0);
  expect(reads).toHaveLength(0);
});

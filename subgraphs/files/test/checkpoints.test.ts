// AI turns as checkpoints, in both storage modes: the chat service commits a turn's changes
// (all or none, each checked against the version it was made on), the files become readable
// and previewable, and restoring a checkpoint (itself a checkpoint) undoes and redoes turns.
import { randomUUID } from 'node:crypto';
import { errorCodesOf, expectNoGraphQLErrors } from '@builderai/testkit';
import {
  admin,
  as,
  asChat,
  checkpointsOf,
  checksumsOf,
  commitTurn,
  committedTurn,
  fileAt,
  newProject,
  newUserId,
  PNG,
  restoreCheckpoint,
  sha256Of,
  startFiles,
  storageOf,
  STORAGE_MODES,
  uploadFile,
  writeFile,
  type FilesHarness,
} from './helpers.js';
import {
  ChatCommitTurnDocument,
  CheckpointDiffsDocument,
  DeleteFileDocument,
  FileTextDocument,
  ProjectCheckpointsDocument,
  ProjectPreviewUrlDocument,
  RestoreCheckpointDocument,
} from './generated/operations.js';

const V1 = '<html>\n<body>\n<h1>Hello</h1>\n</body>\n</html>\n';
const V2 = '<html>\n<body>\n<h1>Hello, world</h1>\n</body>\n</html>\n';
const CSS = 'h1 { color: rebeccapurple; }\n';
const JS = 'document.querySelector("h1").textContent += "!";\n';

describe.each(STORAGE_MODES)('checkpoints (%s storage)', (mode) => {
  let harness: FilesHarness;

  beforeAll(async () => {
    harness = await startFiles(mode);
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function diffsOf(userId: string, checkpointId: string) {
    const [checkpoint] = expectNoGraphQLErrors(await harness.files.request(CheckpointDiffsDocument, { representations: [{ __typename: 'Checkpoint', id: checkpointId }] }, as(userId)))._entities;
    if (!checkpoint || !('changes' in checkpoint)) throw new Error(`no Checkpoint ${checkpointId}`);
    return Object.fromEntries(checkpoint.changes.map((change) => [change.path, change.diff]));
  }

  it("makes a turn's files readable and previewable, as one checkpoint with its changes", async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const messageId = randomUUID();

    const answer = await harness.files.request(
      ChatCommitTurnDocument,
      {
        input: {
          projectId,
          messageId,
          changes: [
            { path: 'index.html', text: V1.replace('</body>', '<link rel="stylesheet" href="assets/app.css"><script src="assets/app.js"></script>\n</body>'), ifChecksum: '' },
            { path: './assets/app.css', text: CSS, ifChecksum: '' },
            { path: 'assets/app.js', text: JS },
          ],
        },
      },
      asChat(userId),
    );
    const checkpoint = expectNoGraphQLErrors(answer).commitTurn!;
    expect(checkpoint.changes).toEqual([
      { path: 'assets/app.css', action: 'ADDED' },
      { path: 'assets/app.js', action: 'ADDED' },
      { path: 'index.html', action: 'ADDED' },
    ]);

    // What the chat service reads back.
    expect(await fileAt(harness, asChat(userId), projectId, 'assets/app.css')).toEqual({
      path: 'assets/app.css',
      checksum: sha256Of(CSS),
      text: CSS,
      contentType: 'text/css',
      size: Buffer.byteLength(CSS),
    });
    expect(await checksumsOf(harness, userId, projectId)).toEqual({
      'assets/app.css': sha256Of(CSS),
      'assets/app.js': sha256Of(JS),
      'index.html': expect.any(String),
    });
    expect(await fileAt(harness, asChat(userId), projectId, 'missing.html')).toBeNull();

    // And the preview serves them like uploaded files.
    const [project] = expectNoGraphQLErrors(await harness.files.request(ProjectPreviewUrlDocument, { representations: [{ __typename: 'Project', id: projectId }] }, as(userId)))._entities;
    const previewUrl = (project as { previewUrl: string }).previewUrl;
    const page = await fetch(previewUrl);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('assets/app.js');
    const script = await fetch(new URL('assets/app.js', previewUrl));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe(JS);

    // One checkpoint, of that answer, the files' events recorded for whoever follows files.
    const { edges } = await checkpointsOf(harness, as(userId), projectId);
    expect(edges.map(({ node }) => ({ id: node.id, kind: node.kind, messageId: node.messageId, project: node.project, restoredFrom: node.restoredFrom }))).toEqual([
      { id: checkpoint.id, kind: 'AI_TURN', messageId, project: { id: projectId }, restoredFrom: null },
    ]);
    expect(edges[0]!.node.changes.find((change) => change.path === 'assets/app.js')).toEqual({
      path: 'assets/app.js',
      action: 'ADDED',
      previousChecksum: null,
      checksum: sha256Of(JS),
      size: Buffer.byteLength(JS),
    });
    expect(await harness.db.outboxEvent.count({ where: { type: 'files.file.uploaded', payload: { path: ['projectId'], equals: projectId } } })).toBe(3);
  });

  it('keeps one checkpoint per turn, newest first, each change with its unified diff', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const c1 = (await committedTurn(harness, userId, projectId, [
      { path: 'index.html', text: V1, ifChecksum: '' },
      { path: 'notes.md', text: '# Notes\n', ifChecksum: '' },
    ]))!;
    const c2 = (await committedTurn(harness, userId, projectId, [
      { path: 'index.html', text: V2, ifChecksum: sha256Of(V1) },
      { path: 'notes.md', text: null, ifChecksum: sha256Of('# Notes\n') },
    ]))!;

    expect(c2.changes).toEqual([
      { path: 'index.html', action: 'MODIFIED', previousChecksum: sha256Of(V1), checksum: sha256Of(V2), size: Buffer.byteLength(V2) },
      { path: 'notes.md', action: 'DELETED', previousChecksum: sha256Of('# Notes\n'), checksum: null, size: 0 },
    ]);
    expect(await diffsOf(userId, c2.id)).toEqual({
      'index.html': ['--- a/index.html', '+++ b/index.html', '@@ -1,5 +1,5 @@', ' <html>', ' <body>', '-<h1>Hello</h1>', '+<h1>Hello, world</h1>', ' </body>', ' </html>', ''].join('\n'),
      'notes.md': ['--- a/notes.md', '+++ /dev/null', '@@ -1 +0,0 @@', '-# Notes', ''].join('\n'),
    });
    expect((await diffsOf(userId, c1.id))['notes.md']).toBe(['--- /dev/null', '+++ b/notes.md', '@@ -0,0 +1 @@', '+# Notes', ''].join('\n'));
    expect(await fileAt(harness, as(userId), projectId, 'notes.md')).toBeNull();

    // Newest first, page by page.
    const all = await checkpointsOf(harness, as(userId), projectId);
    expect(all.edges.map(({ node }) => node.id)).toEqual([c2.id, c1.id]);
    const first = await checkpointsOf(harness, as(userId), projectId, { first: 1 });
    expect(first.edges.map(({ node }) => node.id)).toEqual([c2.id]);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[0]!.cursor });
    const second = await checkpointsOf(harness, as(userId), projectId, { first: 1, after: first.pageInfo.endCursor! });
    expect(second.edges.map(({ node }) => node.id)).toEqual([c1.id]);
    expect(second.pageInfo.hasNextPage).toBe(false);

    // Theirs and an admin's to see, nobody else's.
    expect((await checkpointsOf(harness, admin(), projectId)).edges).toHaveLength(2);
    expect(await checkpointsOf(harness, as(newUserId()), projectId)).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    expect(expectNoGraphQLErrors(await harness.files.request(CheckpointDiffsDocument, { representations: [{ __typename: 'Checkpoint', id: c2.id }] }, as(newUserId())))._entities).toEqual([null]);

    for (const page of [{ after: 'not-a-cursor' }, { after: Buffer.from('checkpoint:x').toString('base64url') }, { first: 101 }, { first: -1 }]) {
      const answer = await harness.files.request(
        ProjectCheckpointsDocument,
        { representations: [{ __typename: 'Project', id: projectId }], ...page },
        as(userId),
      );
      expect(errorCodesOf(answer)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it("puts an admin's restore in the owner's history", async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const c1 = await committedTurn(harness, userId, projectId, [{ path: 'index.html', text: V1, ifChecksum: '' }]);
    await committedTurn(harness, userId, projectId, [{ path: 'index.html', text: V2 }]);
    const restored = expectNoGraphQLErrors(await harness.files.request(RestoreCheckpointDocument, { projectId, checkpointId: c1!.id, force: false }, admin())).restoreCheckpoint;
    expect(restored.checkpoint).not.toBeNull();
    const history = await checkpointsOf(harness, as(userId), projectId);
    expect(history.edges.map(({ node }) => node.id)[0]).toBe(restored.checkpoint!.id);
    expect((await fileAt(harness, as(userId), projectId, 'index.html'))?.text).toBe(V1);
  });

  it('applies a retried commit of the same answer once', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const input = { projectId, messageId: randomUUID(), changes: [{ path: 'index.html', text: V1, ifChecksum: '' }] };

    const first = expectNoGraphQLErrors(await commitTurn(harness, userId, input)).commitTurn!;
    // The retry's ifChecksum no longer matches: it is the same turn, answered with its checkpoint.
    const again = expectNoGraphQLErrors(await commitTurn(harness, userId, input)).commitTurn!;
    const racing = await Promise.all([1, 2].map(() => commitTurn(harness, userId, input)));

    expect(again.id).toBe(first.id);
    for (const answer of racing) expect(expectNoGraphQLErrors(answer).commitTurn!.id).toBe(first.id);
    expect(await harness.db.checkpoint.count({ where: { projectId } })).toBe(1);
    expect(await harness.db.file.count({ where: { projectId } })).toBe(1);
    expect(await harness.db.outboxEvent.count({ where: { type: 'files.file.uploaded', payload: { path: ['projectId'], equals: projectId } } })).toBe(1);
  });

  it('makes no checkpoint of a turn that leaves every file as it was', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    await committedTurn(harness, userId, projectId, [{ path: 'index.html', text: V1 }]);

    expect(await committedTurn(harness, userId, projectId, [{ path: 'index.html', text: V1, ifChecksum: sha256Of(V1) }, { path: 'gone.txt', text: null }])).toBeNull();
    expect(await committedTurn(harness, userId, projectId, [])).toBeNull();
    expect(await harness.db.checkpoint.count({ where: { projectId } })).toBe(1);
  });

  it("refuses a turn made on a version that is not the file's any more, naming the files, and writes nothing", async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    await committedTurn(harness, userId, projectId, [{ path: 'index.html', text: V1 }, { path: 'app.js', text: JS }]);
    const before = { files: await checksumsOf(harness, userId, projectId), storage: await storageOf(harness, userId), objects: await harness.objectKeys(userId) };

    const answer = await commitTurn(harness, userId, {
      projectId,
      messageId: randomUUID(),
      changes: [
        { path: 'new.css', text: CSS, ifChecksum: '' },
        { path: 'index.html', text: V2, ifChecksum: sha256Of('something else') },
        { path: 'app.js', text: null, ifChecksum: '' },
      ],
    });
    expect(answer.body.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT', field: 'changes', paths: ['index.html', 'app.js'] } });
    expect(answer.body.errors?.[0]?.message).toContain('index.html');

    expect(await checksumsOf(harness, userId, projectId)).toEqual(before.files);
    expect(await storageOf(harness, userId)).toEqual(before.storage);
    expect(await harness.objectKeys(userId)).toEqual(before.objects);
    expect(await harness.db.checkpoint.count({ where: { projectId } })).toBe(1);
  });

  it('commits only for the chat service acting for the user', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const input = { projectId, messageId: randomUUID(), changes: [{ path: 'index.html', text: V1 }] };

    expect(errorCodesOf(await commitTurn(harness, userId, input, as(userId)))).toEqual(['FORBIDDEN']);
    expect(errorCodesOf(await commitTurn(harness, userId, input, { userId, roles: [], actingService: 'projects' }))).toEqual(['FORBIDDEN']);
    expect(errorCodesOf(await commitTurn(harness, userId, input, { roles: [], actingService: 'chat' }))).toEqual(['FORBIDDEN']);
    expect(await harness.db.file.count({ where: { projectId } })).toBe(0);
    expect(await harness.db.checkpoint.count({ where: { projectId } })).toBe(0);
  });

  it("leaves another user's project untouched, as if it did not exist", async () => {
    const owner = newUserId();
    const projectId = newProject(harness, owner);
    const c1 = (await committedTurn(harness, owner, projectId, [{ path: 'index.html', text: V1 }]))!;
    await committedTurn(harness, owner, projectId, [{ path: 'index.html', text: V2 }]);
    const intruder = newUserId();

    expect(errorCodesOf(await commitTurn(harness, intruder, { projectId, messageId: randomUUID(), changes: [{ path: 'index.html', text: 'pwned' }] }))).toEqual(['NOT_FOUND']);
    expect(errorCodesOf(await restoreCheckpoint(harness, intruder, projectId, c1.id, true))).toEqual(['NOT_FOUND']);
    // Their own project, with someone else's checkpoint.
    expect(errorCodesOf(await restoreCheckpoint(harness, intruder, newProject(harness, intruder), c1.id, true))).toEqual(['NOT_FOUND']);

    expect((await fileAt(harness, as(owner), projectId, 'index.html'))!.text).toBe(V2);
    expect(await fileAt(harness, as(intruder), projectId, 'index.html')).toBeNull();
    expect(await harness.db.checkpoint.count({ where: { projectId } })).toBe(2);
    expect(await harness.db.file.count({ where: { userId: intruder } })).toBe(0);
  });

  it('restores a checkpoint as a new one, and restores the one before it to undo the restore', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const c1 = (await committedTurn(harness, userId, projectId, [{ path: 'index.html', text: V1, ifChecksum: '' }]))!;
    const c2 = (await committedTurn(harness, userId, projectId, [
      { path: 'index.html', text: V2, ifChecksum: sha256Of(V1) },
      { path: 'app.js', text: JS, ifChecksum: '' },
    ]))!;

    // Undo the second turn.
    const undo = expectNoGraphQLErrors(await restoreCheckpoint(harness, userId, projectId, c1.id)).restoreCheckpoint;
    expect(undo.conflicts).toEqual([]);
    const c3 = undo.checkpoint!;
    expect(c3).toMatchObject({ kind: 'RESTORE', messageId: null, restoredFrom: { id: c1.id } });
    expect(c3.changes).toEqual([
      { path: 'app.js', action: 'DELETED', previousChecksum: sha256Of(JS), checksum: null, size: 0 },
      { path: 'index.html', action: 'MODIFIED', previousChecksum: sha256Of(V2), checksum: sha256Of(V1), size: Buffer.byteLength(V1) },
    ]);
    expect((await fileAt(harness, as(userId), projectId, 'index.html'))!.text).toBe(V1);
    expect(await fileAt(harness, as(userId), projectId, 'app.js')).toBeNull();
    expect((await diffsOf(userId, c3.id))['index.html']).toContain('-<h1>Hello, world</h1>\n+<h1>Hello</h1>\n');

    // Undo the undo: the second turn's files come back.
    const c4 = expectNoGraphQLErrors(await restoreCheckpoint(harness, userId, projectId, c2.id)).restoreCheckpoint.checkpoint!;
    expect(c4).toMatchObject({ kind: 'RESTORE', restoredFrom: { id: c2.id } });
    expect(c4.changes.map(({ path, action }) => ({ path, action }))).toEqual([
      { path: 'app.js', action: 'ADDED' },
      { path: 'index.html', action: 'MODIFIED' },
    ]);
    expect(await checksumsOf(harness, userId, projectId)).toEqual({ 'app.js': sha256Of(JS), 'index.html': sha256Of(V2) });

    // Already as at that checkpoint: nothing to do.
    expect(expectNoGraphQLErrors(await restoreCheckpoint(harness, userId, projectId, c2.id)).restoreCheckpoint).toEqual({ checkpoint: null, conflicts: [] });
    expect((await checkpointsOf(harness, as(userId), projectId)).edges.map(({ node }) => node.id)).toEqual([c4.id, c3.id, c2.id, c1.id]);
    // Every version is stored once, however many checkpoints hold it.
    expect((await storageOf(harness, userId)).used).toBe(Buffer.byteLength(V1) + Buffer.byteLength(V2) + Buffer.byteLength(JS));
    expect(await harness.objectKeys(userId)).toHaveLength(3);
  });

  it("names the user's own changes since the checkpoint as conflicts, and overwrites them only when forced, keeping them in the restore", async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const c1 = (await committedTurn(harness, userId, projectId, [
      { path: 'index.html', text: V1 },
      { path: 'app.js', text: JS },
    ]))!;
    await committedTurn(harness, userId, projectId, [{ path: 'app.js', text: `${JS}console.log(1);\n` }]);
    // The user's own edits after C1: a save, a new upload and a deletion.
    const mine = '<html>\n<body>\n<h1>My own title</h1>\n</body>\n</html>\n';
    expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'index.html', text: mine, ifChecksum: sha256Of(V1) }));
    await uploadFile(harness, userId, { name: 'logo.png', contentType: 'image/png', projectId }, PNG);
    const before = await checksumsOf(harness, userId, projectId);

    const refused = expectNoGraphQLErrors(await restoreCheckpoint(harness, userId, projectId, c1.id)).restoreCheckpoint;
    expect(refused).toEqual({
      checkpoint: null,
      conflicts: [
        { path: 'index.html', action: 'MODIFIED' },
        { path: 'logo.png', action: 'ADDED' },
      ],
    });
    expect(await checksumsOf(harness, userId, projectId)).toEqual(before);
    expect(await harness.db.checkpoint.count({ where: { projectId } })).toBe(2);

    const forced = expectNoGraphQLErrors(await restoreCheckpoint(harness, userId, projectId, c1.id, true)).restoreCheckpoint;
    expect(forced.conflicts).toEqual(refused.conflicts);
    expect(await checksumsOf(harness, userId, projectId)).toEqual({ 'app.js': sha256Of(JS), 'index.html': sha256Of(V1) });
    // The user's version is not lost: the restore's change holds it, diff included.
    const change = forced.checkpoint!.changes.find((entry) => entry.path === 'index.html')!;
    expect(change).toMatchObject({ action: 'MODIFIED', previousChecksum: sha256Of(mine), checksum: sha256Of(V1) });
    expect((await diffsOf(userId, forced.checkpoint!.id))['index.html']).toContain('-<h1>My own title</h1>\n+<h1>Hello</h1>\n');
    expect(forced.checkpoint!.changes.find((entry) => entry.path === 'logo.png')).toMatchObject({ action: 'DELETED', previousChecksum: sha256Of(PNG) });
    // Its diff: none, a PNG is not text.
    expect((await diffsOf(userId, forced.checkpoint!.id))['logo.png']).toBeNull();

    // A user's deletion after a checkpoint is a conflict too.
    const c4 = (await committedTurn(harness, userId, projectId, [{ path: 'about.html', text: V2 }]))!;
    const about = await harness.db.file.findFirstOrThrow({ where: { projectId, path: 'about.html', status: 'READY' } });
    expectNoGraphQLErrors(await harness.files.request(DeleteFileDocument, { id: about.id }, as(userId)));
    await committedTurn(harness, userId, projectId, [{ path: 'index.html', text: V2 }]);
    expect(expectNoGraphQLErrors(await restoreCheckpoint(harness, userId, projectId, c4.id)).restoreCheckpoint.conflicts).toEqual([{ path: 'about.html', action: 'DELETED' }]);
  });

  it("counts a user's change overwritten by a forced restore as settled: undoing that restore is no conflict", async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const c1 = (await committedTurn(harness, userId, projectId, [{ path: 'index.html', text: V1 }]))!;
    const c2 = (await committedTurn(harness, userId, projectId, [{ path: 'index.html', text: V2 }]))!;
    const mine = '<p>mine</p>\n';
    expectNoGraphQLErrors(await writeFile(harness, userId, { projectId, path: 'index.html', text: mine }));

    expect(expectNoGraphQLErrors(await restoreCheckpoint(harness, userId, projectId, c1.id)).restoreCheckpoint.conflicts).toEqual([{ path: 'index.html', action: 'MODIFIED' }]);
    const c3 = expectNoGraphQLErrors(await restoreCheckpoint(harness, userId, projectId, c1.id, true)).restoreCheckpoint.checkpoint!;
    // Back to the second turn: the user's version was overwritten (and kept) by C3, not by this.
    const c4 = expectNoGraphQLErrors(await restoreCheckpoint(harness, userId, projectId, c2.id)).restoreCheckpoint;
    expect(c4.conflicts).toEqual([]);
    expect(c4.checkpoint!.changes).toEqual([{ path: 'index.html', action: 'MODIFIED', previousChecksum: sha256Of(V1), checksum: sha256Of(V2), size: Buffer.byteLength(V2) }]);
    // The user's version is still there to see, in C3's change.
    expect(c3.changes).toEqual([{ path: 'index.html', action: 'MODIFIED', previousChecksum: sha256Of(mine), checksum: sha256Of(V1), size: Buffer.byteLength(V1) }]);
  });

  it('lets two turns committed at once on one project both land, one after the other', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    await committedTurn(harness, userId, projectId, [{ path: 'index.html', text: V1 }]);

    const [a, b] = await Promise.all([
      committedTurn(harness, userId, projectId, [{ path: 'a.js', text: 'let a = 1;\n', ifChecksum: '' }]),
      committedTurn(harness, userId, projectId, [{ path: 'b.js', text: 'let b = 2;\n', ifChecksum: '' }]),
    ]);
    expect(await checksumsOf(harness, userId, projectId)).toEqual({ 'a.js': sha256Of('let a = 1;\n'), 'b.js': sha256Of('let b = 2;\n'), 'index.html': sha256Of(V1) });
    // The later of the two saw the other's file: its manifest holds all three.
    const [later, earlier] = (await checkpointsOf(harness, as(userId), projectId)).edges.map(({ node }) => node.id);
    expect([later, earlier].sort()).toEqual([a!.id, b!.id].sort());
    expect(await harness.db.checkpointFile.count({ where: { checkpointId: later } })).toBe(3);
    expect(await harness.db.checkpointFile.count({ where: { checkpointId: earlier } })).toBe(2);

    // Two turns editing the same version of a file: one lands, the other is told it changed.
    const racing = await Promise.all(
      ['<p>one</p>\n', '<p>two</p>\n'].map((text) => commitTurn(harness, userId, { projectId, messageId: randomUUID(), changes: [{ path: 'index.html', text, ifChecksum: sha256Of(V1) }] })),
    );
    expect(racing.map((answer) => errorCodesOf(answer)[0] ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    // And a user's save racing a turn on the same file: one of them, never both.
    const current = (await fileAt(harness, as(userId), projectId, 'index.html'))!.checksum!;
    const [save, turn] = await Promise.all([
      writeFile(harness, userId, { projectId, path: 'index.html', text: '<p>saved</p>\n', ifChecksum: current }),
      commitTurn(harness, userId, { projectId, messageId: randomUUID(), changes: [{ path: 'index.html', text: '<p>turn</p>\n', ifChecksum: current }] }),
    ]);
    expect([errorCodesOf(save)[0] ?? 'OK', errorCodesOf(turn)[0] ?? 'OK'].sort()).toEqual(['CONFLICT', 'OK']);
    expect(await harness.db.file.count({ where: { projectId, path: 'index.html' } })).toBe(1);
  });

  it('reads a file by id as text, and no text for a file that is not', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    await committedTurn(harness, userId, projectId, [{ path: 'index.html', text: V1 }]);
    const png = await uploadFile(harness, userId, { name: 'logo.png', contentType: 'image/png', projectId }, PNG);
    const html = await harness.db.file.findFirstOrThrow({ where: { projectId, path: 'index.html' } });

    expect(expectNoGraphQLErrors(await harness.files.request(FileTextDocument, { id: html.id }, as(userId))).file).toEqual({ id: html.id, contentType: 'text/html', text: V1 });
    expect(expectNoGraphQLErrors(await harness.files.request(FileTextDocument, { id: png.id }, as(userId))).file).toEqual({ id: png.id, contentType: 'image/png', text: null });
  });
});

describe('turns refused as bad input', () => {
  const TEXT_MAX = 1024;
  let harness: FilesHarness;

  beforeAll(async () => {
    harness = await startFiles('local-disk', { FILES_TEXT_MAX_BYTES: String(TEXT_MAX) });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const many = Array.from({ length: 201 }, (_, index) => ({ path: `pages/${index}.html`, text: `<p>${index}</p>` }));

  it.each([
    ['more than 200 changes', many],
    ['a path changed twice', [{ path: 'index.html', text: V1 }, { path: './index.html', text: V2 }]],
    ['a path that climbs out of the project', [{ path: 'index.html', text: V1 }, { path: '../index.html', text: V2 }]],
    ['an absolute path, even to delete', [{ path: '/etc/passwd', text: null }]],
    ['a type that is not text', [{ path: 'logo.png', text: 'not really a png' }]],
    ['no extension', [{ path: 'Makefile', text: 'all:\n' }]],
    ['a text over FILES_TEXT_MAX_BYTES', [{ path: 'index.html', text: V1 }, { path: 'big.txt', text: 'x'.repeat(TEXT_MAX + 1) }]],
    ['an .svg that is no SVG', [{ path: 'icon.svg', text: 'hello' }]],
    ['a NUL in a text', [{ path: 'notes.txt', text: 'a\u0000b' }]],
  ])('refuses %s and writes nothing', async (_, changes) => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const answer = await commitTurn(harness, userId, { projectId, messageId: randomUUID(), changes });
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'changes' });
    expect(await harness.db.file.count({ where: { projectId } })).toBe(0);
    expect(await harness.db.checkpoint.count({ where: { projectId } })).toBe(0);
    expect(await harness.objectKeys(userId)).toEqual([]);
    expect((await storageOf(harness, userId)).used).toBe(0);
  });

  it('refuses a message id that is not one', async () => {
    const userId = newUserId();
    const answer = await commitTurn(harness, userId, { projectId: newProject(harness, userId), messageId: 'msg-1', changes: [{ path: 'index.html', text: V1 }] });
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'messageId' });
  });

  it('takes exactly 200 changes and a text of exactly FILES_TEXT_MAX_BYTES', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    const checkpoint = await committedTurn(harness, userId, projectId, [...many.slice(0, 199), { path: 'big.txt', text: 'é'.repeat(TEXT_MAX / 2) }]);
    expect(checkpoint!.changes).toHaveLength(200);
    expect((await fileAt(harness, as(userId), projectId, 'big.txt'))!.size).toBe(TEXT_MAX);
  });
});

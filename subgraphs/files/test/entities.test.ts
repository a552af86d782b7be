// The router resolves File, User.storage, Project.files and Project.previewUrl through _entities: N entities
// must cost the same number of SQL statements as one (per-request DataLoaders), counted at the
// pg driver.
import { expectNoGraphQLErrors, useSqlCount } from '@builderai/testkit';
import { admin, APP_JS, as, INDEX_HTML, newProject, newUserId, startFiles, uploadFile, type FilesHarness } from './helpers.js';
import {
  CreateUploadDocument,
  FileEntitiesDocument,
  ProjectFilesEntitiesDocument,
  UserStorageAndProjectPreviewEntitiesDocument,
  type FileEntitiesQueryVariables,
  type TypedDocumentString,
} from './generated/operations.js';

// Statements Prisma sends to the files tables (the sweeper's and relay's SQL is not schema-qualified).
const FILES_TABLES = /"public"\."(files|file_metadata|storage_quotas)"/;

describe('entities', () => {
  let harness: FilesHarness;
  let owners: string[];
  let projectIds: string[];
  let fileIds: string[];
  const sql = useSqlCount(FILES_TABLES);

  beforeAll(async () => {
    harness = await startFiles('local-disk');
    owners = [];
    projectIds = [];
    fileIds = [];
    for (let i = 0; i < 5; i++) {
      const userId = newUserId();
      const projectId = newProject(harness, userId);
      owners.push(userId);
      projectIds.push(projectId);
      fileIds.push((await uploadFile(harness, userId, { name: `assets/app${i}.js`, contentType: 'text/javascript', projectId }, APP_JS)).id);
      await uploadFile(harness, userId, { name: 'index.html', contentType: 'text/html', projectId }, INDEX_HTML);
    }
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function resolve<T extends { _entities: unknown[] }>(query: TypedDocumentString<T, FileEntitiesQueryVariables>, representations: Array<Record<string, unknown>>, identity = admin()) {
    sql.reset();
    const entities: T['_entities'] = expectNoGraphQLErrors(await harness.files.request(query, { representations }, identity))._entities;
    return { entities, statements: sql.count };
  }

  const fileRefs = (ids: string[]) => ids.map((id) => ({ __typename: 'File', id }));

  it('resolves files with their metadata, and null for unknown ids', async () => {
    const { entities } = await resolve(FileEntitiesDocument, fileRefs([...fileIds, newUserId(), 'not-a-uuid']));
    expect(entities).toEqual([
      ...fileIds.map((id, i) => ({ id, name: `app${i}.js`, path: `assets/app${i}.js`, checksum: expect.stringMatching(/^[0-9a-f]{64}$/), status: 'READY' })),
      null,
      null,
    ]);
  });

  it('costs one SQL statement for five files, metadata included', async () => {
    expect((await resolve(FileEntitiesDocument, fileRefs(fileIds.slice(0, 1)))).statements).toBe(1);
    expect((await resolve(FileEntitiesDocument, fileRefs(fileIds))).statements).toBe(1);
  });

  it("resolves another user's file to null", async () => {
    const { entities } = await resolve(FileEntitiesDocument, fileRefs(fileIds.slice(0, 2)), as(owners[0]!));
    expect(entities).toEqual([expect.objectContaining({ id: fileIds[0] }), null]);
  });

  it('costs one statement per loader for five users and five projects', async () => {
    const representations = [
      ...owners.map((id) => ({ __typename: 'User', id })),
      ...projectIds.map((id) => ({ __typename: 'Project', id })),
    ];
    const one = await resolve(UserStorageAndProjectPreviewEntitiesDocument, [representations[0], representations[5]]);
    const all = await resolve(UserStorageAndProjectPreviewEntitiesDocument, representations);
    expect(one.statements).toBe(2);
    expect(all.statements).toBe(2);
    expect(all.entities.slice(0, 5)).toEqual(owners.map((id) => ({ id, storage: { used: APP_JS.length + INDEX_HTML.length } })));
    expect(all.entities.slice(5).every((project) => !!project && 'previewUrl' in project && !!project.previewUrl?.endsWith('/index.html'))).toBe(true);
  });

  const projectRefs = (ids: string[]) => ids.map((id) => ({ __typename: 'Project', id }));

  it("lists a project's READY files oldest first, in one statement for five projects", async () => {
    const one = await resolve(ProjectFilesEntitiesDocument, projectRefs(projectIds.slice(0, 1)), as(owners[0]!));
    expect(one.entities).toEqual([
      {
        id: projectIds[0],
        files: [
          { path: 'assets/app0.js', status: 'READY', contentType: 'text/javascript' },
          { path: 'index.html', status: 'READY', contentType: 'text/html' },
        ],
      },
    ]);
    expect(one.statements).toBe(1);
    const all = await resolve(ProjectFilesEntitiesDocument, projectRefs(projectIds));
    expect(all.statements).toBe(1);
    expect(all.entities.map((project) => project?.files.length)).toEqual([2, 2, 2, 2, 2]);
  });

  it("shows nobody else a project's files, and none for unknown projects or uploads still in progress", async () => {
    const { entities } = await resolve(ProjectFilesEntitiesDocument, projectRefs([projectIds[1]!, newUserId(), 'not-a-uuid']), as(owners[0]!));
    expect(entities).toEqual([
      { id: projectIds[1], files: [] },
      { id: expect.any(String), files: [] },
      { id: 'not-a-uuid', files: [] },
    ]);
    const pending = await harness.files.request(
      CreateUploadDocument,
      { input: { name: 'later.css', contentType: 'text/css', size: 10, projectId: projectIds[2] } },
      as(owners[2]!),
    );
    expect(pending.body.errors).toBeUndefined();
    const { entities: withPending } = await resolve(ProjectFilesEntitiesDocument, projectRefs([projectIds[2]!]), as(owners[2]!));
    expect(withPending[0]?.files.map((file) => file.path)).toEqual(['assets/app2.js', 'index.html']);
  });
});

// Project.previewUrl serves a project's files as a static site from a sandboxed origin, in
// both storage modes: index.html with its Content-Security-Policy, and the assets it links.
import { expectNoGraphQLErrors } from '@builderai/testkit';
import { PREVIEW_CSP } from '../src/http/preview-route.js';
import {
  admin,
  APP_CSS,
  APP_JS,
  as,
  INDEX_HTML,
  newProject,
  newUserId,
  PNG,
  startFiles,
  STORAGE_MODES,
  uploadFile,
  type FilesHarness,
} from './helpers.js';
import { ProjectPreviewUrlDocument } from './generated/operations.js';

describe.each(STORAGE_MODES)('project preview (%s storage)', (mode) => {
  let harness: FilesHarness;

  beforeAll(async () => {
    harness = await startFiles(mode);
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function previewUrlOf(projectId: string, identity = as(newUserId())): Promise<string | null> {
    const [project] = expectNoGraphQLErrors(await harness.files.request(ProjectPreviewUrlDocument, { representations: [{ __typename: 'Project', id: projectId }] }, identity))._entities;
    if (!project) throw new Error(`no Project entity for ${projectId}`);
    return project.previewUrl;
  }

  /** A project with a generated app: index.html linking a script, a stylesheet and an image. */
  async function generatedApp(userId: string): Promise<string> {
    const projectId = newProject(harness, userId);
    await uploadFile(harness, userId, { name: 'assets/app.js', contentType: 'text/javascript', projectId }, APP_JS);
    await uploadFile(harness, userId, { name: 'assets/app.css', contentType: 'text/css', projectId }, APP_CSS);
    await uploadFile(harness, userId, { name: 'assets/logo.png', contentType: 'image/png', projectId }, PNG);
    await uploadFile(harness, userId, { name: 'index.html', contentType: 'text/html', projectId }, INDEX_HTML);
    return projectId;
  }

  it('serves the uploaded index.html at previewUrl with a sandboxing Content-Security-Policy', async () => {
    const userId = newUserId();
    const projectId = await generatedApp(userId);
    const previewUrl = await previewUrlOf(projectId, as(userId));
    expect(previewUrl).toMatch(new RegExp(`/preview/${projectId}/[^/]+/index\\.html$`));

    const response = await fetch(previewUrl!);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(INDEX_HTML);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(PREVIEW_CSP);
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox allow-scripts allow-forms;/);
    // A generated app cannot post what its user typed to another origin.
    expect(response.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-disposition')).toBeNull();
  });

  it('serves the assets index.html links by relative path, each with its own type', async () => {
    const userId = newUserId();
    const previewUrl = (await previewUrlOf(await generatedApp(userId), as(userId)))!;

    for (const [link, bytes, type] of [
      ['assets/app.js', APP_JS, 'text/javascript; charset=utf-8'],
      ['assets/app.css', APP_CSS, 'text/css; charset=utf-8'],
      ['./assets/logo.png', PNG, 'image/png'],
    ] as const) {
      const response = await fetch(new URL(link, previewUrl));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('content-security-policy')).toBe(PREVIEW_CSP);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
    }
  });

  it('serves index.html for the directory, and sends the bare root to it', async () => {
    const userId = newUserId();
    const previewUrl = (await previewUrlOf(await generatedApp(userId), as(userId)))!;
    const directory = previewUrl.replace(/index\.html$/, '');

    expect(Buffer.from(await (await fetch(directory)).arrayBuffer())).toEqual(INDEX_HTML);
    const bare = await fetch(directory.replace(/\/$/, ''), { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(new URL(bare.headers.get('location')!, directory).href).toBe(directory);
  });

  it('answers 404 for a path the project does not have, or one that climbs out of it', async () => {
    const userId = newUserId();
    const previewUrl = (await previewUrlOf(await generatedApp(userId), as(userId)))!;
    expect((await fetch(new URL('assets/missing.js', previewUrl))).status).toBe(404);
    expect((await fetch(new URL('..%2f..%2fetc%2fpasswd', previewUrl))).status).toBe(404);
  });

  it('answers 403 for a tampered token, or the token of another project', async () => {
    const userId = newUserId();
    const previewUrl = (await previewUrlOf(await generatedApp(userId), as(userId)))!;
    const otherUrl = (await previewUrlOf(await generatedApp(userId), as(userId)))!;

    const token = previewUrl.split('/').at(-2)!;
    const tampered = previewUrl.replace(token, `${token.startsWith('e') ? 'f' : 'e'}${token.slice(1)}`);
    expect((await fetch(tampered)).status).toBe(403);

    const [projectId, otherToken] = [previewUrl.split('/').at(-3)!, otherUrl.split('/').at(-2)!];
    const swapped = previewUrl.replace(`${projectId}/${token}`, `${projectId}/${otherToken}`);
    expect((await fetch(swapped)).status).toBe(403);
  });

  it('has no previewUrl until index.html is READY, and none for other users', async () => {
    const userId = newUserId();
    const projectId = newProject(harness, userId);
    await uploadFile(harness, userId, { name: 'assets/app.js', contentType: 'text/javascript', projectId }, APP_JS);
    expect(await previewUrlOf(projectId, as(userId))).toBeNull();

    await uploadFile(harness, userId, { name: 'index.html', contentType: 'text/html', projectId }, INDEX_HTML);
    expect(await previewUrlOf(projectId, as(userId))).toEqual(expect.any(String));
    expect(await previewUrlOf(projectId, admin())).toEqual(expect.any(String));
    expect(await previewUrlOf(projectId, as(newUserId()))).toBeNull();
  });
});

// GET /preview/<projectId>/<token>/<path>: a project's READY files as a static site, so a
// generated app opens in a browser. The token (Project.previewUrl) names the project and
// expires; index.html's relative links ("assets/app.js") resolve under the same token.
// The Content-Security-Policy's sandbox puts every page in an opaque origin: it cannot read
// this service's cookies or storage, nor call out (connect-src 'none'), nor post a form to
// another origin (form-action), nor point its relative links elsewhere (base-uri).
import { sendJson, type RouteHandler } from '@builderai/kit';
import type { FilesDeps } from '../deps.js';
import { parseFilePath } from '../domain/file-paths.js';
import { PREVIEW_INDEX, PREVIEW_PREFIX } from '../domain/links.js';
import { refuseUnlessRead, sendFile } from './responses.js';

export const PREVIEW_CSP = [
  'sandbox allow-scripts allow-forms',
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self' 'unsafe-inline'",
  "connect-src 'none'",
  "form-action 'self'",
  "base-uri 'self'",
  'frame-ancestors *',
].join('; ');

const PREVIEW_HEADERS = {
  'content-security-policy': PREVIEW_CSP,
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, no-cache',
};

interface PreviewRequest {
  projectId: string;
  token: string;
  /** Undefined for the bare /preview/<projectId>/<token>, which needs its trailing slash. */
  path?: string;
}

/** The parts of a preview URL's path; null when it is not one (or names no acceptable path). */
export function parsePreviewPath(pathname: string): PreviewRequest | null {
  if (!pathname.startsWith(PREVIEW_PREFIX)) return null;
  const [projectId, token, ...rest] = pathname.slice(PREVIEW_PREFIX.length).split('/');
  if (!projectId || !token) return null;
  if (rest.length === 0) return { projectId, token };
  let path: string;
  try {
    path = rest.map(decodeURIComponent).join('/');
  } catch {
    return null;
  }
  // A directory serves its index.html.
  if (path === '' || path.endsWith('/')) path += PREVIEW_INDEX;
  const parsed = parseFilePath(path);
  return 'problem' in parsed ? null : { projectId, token, path: parsed.path };
}

export function previewRoute(deps: FilesDeps): RouteHandler {
  return async (req, res) => {
    if (refuseUnlessRead(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://files.local');
    const preview = parsePreviewPath(url.pathname);
    if (!preview) return sendJson(res, 404, { error: 'not found' });
    try {
      const { projectId } = deps.tokens.verify('preview', preview.token);
      if (projectId !== preview.projectId) throw new Error('token of another project');
    } catch {
      return sendJson(res, 403, { error: 'This preview link is invalid or has expired' });
    }
    // Relative links resolve against the directory, so the root needs its slash.
    if (preview.path === undefined) return void res.writeHead(308, { location: `${url.pathname}/` }).end();

    const file = await deps.db.file.findFirst({
      where: { projectId: preview.projectId, path: preview.path, status: 'READY' },
      include: { metadata: true },
    });
    if (!file) return sendJson(res, 404, { error: 'not found' }, PREVIEW_HEADERS);
    await sendFile(req, res, deps.storage, file, PREVIEW_HEADERS);
  };
}

// PUT /uploads?token=...: where upload URLs point when files are kept on local disk (with S3,
// clients PUT to the bucket instead). It behaves like a presigned S3 PUT: the token says which
// object, type and size, and the URL works only until it expires. A request that cannot fit
// (wrong type, a declared length over the size) is refused before it uses the URL; otherwise
// the URL works once, and a body that runs past the size is cut off with 413 and discards
// the upload, leaving nothing behind.
import { HttpError, sendJson, type RouteHandler } from '@builderai/kit';
import type { FilesDeps } from '../deps.js';
import { mediaTypeOf } from '../domain/content-types.js';
import type { TokenClaims } from '../domain/signed-tokens.js';
import { abandonUpload, claimUploadUrl } from '../domain/uploads.js';
import type { LocalDiskStorage } from '../storage/local-disk-storage.js';
import { tokenOf } from './responses.js';

// The URL is the credential (no cookies), so any origin may send the bytes from a browser.
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'PUT',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};

export function uploadRoute(deps: FilesDeps, storage: LocalDiskStorage): RouteHandler {
  return async (req, res) => {
    const refuse = (status: number, error: string) => {
      // The client may still be sending; the connection closes after the answer.
      sendJson(res, status, { error }, { ...CORS, connection: 'close' });
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, CORS).end();
    if (req.method !== 'PUT') return void res.writeHead(405, { ...CORS, allow: 'PUT, OPTIONS' }).end();

    let upload: TokenClaims['upload'];
    try {
      upload = deps.tokens.verify('upload', tokenOf(req));
    } catch {
      return refuse(403, 'This upload URL is invalid or has expired');
    }
    if (Number(req.headers['content-length']) > upload.size) return refuse(413, `The upload is larger than the declared ${upload.size} bytes`);
    if (mediaTypeOf(req.headers['content-type']) !== upload.contentType) return refuse(400, `The upload must be sent with content-type ${upload.contentType}`);
    if (!(await claimUploadUrl(deps.db, upload.fileId))) return refuse(409, 'This upload URL has already been used');

    try {
      await storage.write(upload.key, req, upload.size);
    } catch (error) {
      // The URL is used up, so the upload can never complete: it goes, and its space with it.
      await abandonUpload(deps, upload.fileId);
      if (error instanceof HttpError) return refuse(error.status, error.message);
      throw error;
    }
    res.writeHead(200, CORS).end();
  };
}

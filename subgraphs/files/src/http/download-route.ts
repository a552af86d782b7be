// GET /downloads?token=...: a READY file as an attachment, for whoever holds an unexpired
// download token (File.downloadUrl hands them to the file's owner).
import { sendJson, type RouteHandler } from '@builderai/kit';
import type { FilesDeps } from '../deps.js';
import { attachmentDisposition, refuseUnlessRead, sendFile, tokenOf } from './responses.js';

export function downloadRoute(deps: FilesDeps): RouteHandler {
  return async (req, res) => {
    if (refuseUnlessRead(req, res)) return;
    let fileId: string;
    try {
      ({ fileId } = deps.tokens.verify('download', tokenOf(req)));
    } catch {
      return sendJson(res, 403, { error: 'This download link is invalid or has expired' });
    }
    const file = await deps.db.file.findFirst({ where: { id: fileId, status: 'READY' }, include: { metadata: true } });
    if (!file) return sendJson(res, 404, { error: 'This file no longer exists' });
    await sendFile(req, res, deps.storage, file, {
      'content-disposition': attachmentDisposition(file.name),
      // Even opened in place, the file runs nothing and reaches nothing.
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    });
  };
}

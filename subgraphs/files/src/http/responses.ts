// Serving a stored file over plain HTTP (downloads and previews).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { servedContentType } from '../domain/content-types.js';
import { storageKeyOf, type FileRecord } from '../domain/file-record.js';
import type { ObjectStorage } from '../storage/object-storage.js';

/** The `token` query parameter of a request. */
export function tokenOf(req: IncomingMessage): string | null {
  return new URL(req.url ?? '/', 'http://files.local').searchParams.get('token');
}

/** True (and the request answered with 405) unless it is a GET or HEAD. */
export function refuseUnlessRead(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  res.writeHead(405, { allow: 'GET, HEAD' }).end();
  return true;
}

/**
 * `attachment` with the name in UTF-8 (RFC 6266/8187), plus a plain-ASCII fallback for old
 * clients. Quotes, backslashes and anything outside printable ASCII never reach the fallback.
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Streams a READY file with its own type; the browser must never guess another (nosniff). */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  storage: ObjectStorage,
  file: FileRecord,
  headers: Record<string, string>,
): Promise<void> {
  const body = req.method === 'HEAD' ? undefined : await storage.read(storageKeyOf(file));
  res.writeHead(200, {
    'content-type': servedContentType(file.type),
    'content-length': String(file.size),
    'x-content-type-options': 'nosniff',
    ...(file.metadata?.checksum ? { etag: `"${file.metadata.checksum}"` } : {}),
    ...headers,
  });
  if (!body) return void res.end();
  await pipeline(body, res);
}

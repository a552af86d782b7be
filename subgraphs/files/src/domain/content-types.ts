// The types of file the service accepts, and how the bytes prove their type. A declared type
// is only a claim: completeUpload compares it with what the first bytes say (magic numbers)
// and, for text, with the whole content being UTF-8 without NUL bytes.
import { badUserInput } from '@builderai/kit';

/** What bytes can turn out to be. */
export type ContentKind = 'png' | 'jpeg' | 'gif' | 'webp' | 'ico' | 'pdf' | 'svg' | 'text';

/** The allow-list: media type → the kind its bytes must be. */
const ALLOWED: Record<string, ContentKind> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/x-icon': 'ico',
  'image/vnd.microsoft.icon': 'ico',
  'application/pdf': 'pdf',
  'image/svg+xml': 'svg',
  'text/html': 'text',
  'text/css': 'text',
  'text/javascript': 'text',
  'application/javascript': 'text',
  'application/json': 'text',
  'text/plain': 'text',
  'text/markdown': 'text',
};

export const ALLOWED_CONTENT_TYPES = Object.keys(ALLOWED);

/** How many leading bytes sniffing looks at (an SVG may open with a long comment or doctype). */
export const SNIFF_BYTES = 4096;

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) => prefix.every((byte, i) => bytes[at + i] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** The kind that binary magic numbers at the start of the bytes name, if any. */
export function sniffMagic(head: Uint8Array): ContentKind | undefined {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(head, ascii('%PDF-'))) return 'pdf';
  // An icon directory: reserved 0, type 1 (icon), at least one image.
  if (startsWith(head, [0x00, 0x00, 0x01, 0x00]) && head.length >= 6 && (head[4]! > 0 || head[5]! > 0)) return 'ico';
  return undefined;
}

// An SVG document: optional BOM, XML declaration, comments and doctype, then the <svg> element.
const SVG_START = /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>/]/i;

/**
 * The kind of some bytes, from their first bytes and whether the whole content is text
 * (UTF-8 without NUL); undefined when it is nothing the service accepts.
 */
export function detectKind(head: Uint8Array, isText: boolean): ContentKind | undefined {
  const magic = sniffMagic(head);
  if (magic) return magic;
  if (!isText) return undefined;
  // The head may end inside a character; the replacement character there does not matter.
  return SVG_START.test(Buffer.from(head).toString('utf8')) ? 'svg' : 'text';
}

/** The kind the bytes of a declared (allowed, normalised) type must be. */
export function kindOf(contentType: string): ContentKind | undefined {
  return ALLOWED[contentType];
}

/** True when bytes of the detected kind may be stored under the declared type. */
export function matchesDeclaredType(contentType: string, detected: ContentKind | undefined): boolean {
  const expected = kindOf(contentType);
  if (!expected || !detected) return false;
  // An SVG is text too: it may be kept as text/plain, say, but only SVG bytes are image/svg+xml.
  if (expected === 'text') return detected === 'text' || detected === 'svg';
  return detected === expected;
}

/** The media type of a Content-Type value, lowercase and without parameters ("Text/HTML; charset=x" → "text/html"). */
export function mediaTypeOf(value: string | undefined): string {
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The declared type of an upload, normalised; BAD_USER_INPUT on `contentType` when not on the allow-list. */
export function normalizeContentType(raw: string): string {
  const mediaType = mediaTypeOf(raw);
  if (!kindOf(mediaType)) throw badUserInput(`Files of type "${raw}" are not accepted; accepted: ${ALLOWED_CONTENT_TYPES.join(', ')}`, 'contentType');
  return mediaType;
}

/** The Content-Type to serve a stored file with: text is always UTF-8 (it was checked to be). */
export function servedContentType(contentType: string): string {
  const kind = kindOf(contentType);
  return kind === 'text' || kind === 'svg' ? `${contentType}; charset=utf-8` : contentType;
}

// Text files written through GraphQL (writeFile, commitTurn) and read back (File.text, diffs).
// A text's type comes from its path's extension (text-paths.ts), and its content must pass the
// same check an upload of that type passes (content-types.ts), so a written file is served
// like an uploaded one.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { badUserInput } from '@builderai/kit';
import type { ObjectStorage } from '../storage/object-storage.js';
import { detectKind, kindOf, matchesDeclaredType, normalizeContentType, SNIFF_BYTES } from './content-types.js';
import { parseFilePath, type FilePath } from './file-paths.js';
import type { NewContent } from './staged-blobs.js';
import { TEXT_EXTENSIONS, textTypeOf } from './text-paths.js';

/** Whether files of this type are text (File.text, diffs): UTF-8 by the upload's check. */
export function isTextType(contentType: string | null | undefined): boolean {
  const kind = contentType ? kindOf(contentType) : undefined;
  return kind === 'text' || kind === 'svg';
}

export interface TextFile extends FilePath, NewContent {
  type: string;
}

/**
 * The normalised path, type and content of a text to write; BAD_USER_INPUT on `field` (the
 * message naming `what`) for a bad path, a type that is not text, too many bytes or content
 * that is not of the type.
 */
export function checkTextFile(rawPath: string, text: string, maxBytes: number, field: string, what = 'The path'): TextFile {
  const path = checkPath(rawPath, field, what);
  const type = checkTextType(path.path, field, what);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > maxBytes) throw badUserInput(`${path.path}: a text may be at most ${maxBytes} bytes (this one has ${bytes.length})`, field);
  // As for an upload: what the first bytes say must fit the type (an .svg must be SVG), and text has no NUL.
  if (!matchesDeclaredType(type, detectKind(bytes.subarray(0, SNIFF_BYTES), !bytes.includes(0)))) {
    throw badUserInput(`${path.path}: the text is not ${type}`, field);
  }
  return { ...path, type, bytes, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The normalised path; BAD_USER_INPUT on `field` as for an upload's name. */
export function checkPath(rawPath: string, field: string, what = 'The path'): FilePath {
  const parsed = parseFilePath(rawPath);
  if ('problem' in parsed) throw badUserInput(`${what} ${parsed.problem}`, field);
  return parsed;
}

function checkTextType(path: string, field: string, what: string): string {
  const type = textTypeOf(path);
  if (!type) throw badUserInput(`${what} must name a text file, by its extension (${TEXT_EXTENSIONS})`, field);
  return normalizeContentType(type);
}

/** An object's content as text, or null when it has more than `maxBytes` (read no further). */
export async function readText(storage: ObjectStorage, key: string, size: number, maxBytes: number): Promise<string | null> {
  if (size > maxBytes) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of (await storage.read(key)) as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

// One pass over an object's bytes: its length, its SHA-256 and whether it is text. Streaming
// keeps memory flat whatever the file's size.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface Inspection {
  size: number;
  /** Lowercase hex. */
  sha256: string;
  /** Valid UTF-8 without NUL bytes. */
  isText: boolean;
}

export async function inspectContent(bytes: Readable | AsyncIterable<Uint8Array>): Promise<Inspection> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let size = 0;
  let isText = true;
  for await (const chunk of bytes as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    size += chunk.length;
    if (isText) isText = isTextChunk(decoder, chunk);
  }
  if (isText) isText = isTextChunk(decoder);
  return { size, sha256: hash.digest('hex'), isText };
}

// The decoder carries a character split across chunks over to the next one; called without a
// chunk, it checks that the content did not end inside a character.
function isTextChunk(decoder: TextDecoder, chunk?: Uint8Array): boolean {
  if (chunk?.includes(0)) return false;
  try {
    decoder.decode(chunk, { stream: chunk !== undefined });
    return true;
  } catch {
    return false;
  }
}

// Whether the bytes an upload URL received are what createUpload announced: the declared size,
// and a type that the bytes themselves prove. Yields their SHA-256 when they are.
import type { ObjectStorage, StoredObject } from '../storage/object-storage.js';
import { inspectContent } from './content-inspection.js';
import { detectKind, kindOf, matchesDeclaredType, sniffMagic, SNIFF_BYTES } from './content-types.js';

export type Verdict = { sha256: string } | { problem: string; field: 'size' | 'contentType' };

export interface Announced {
  size: number;
  contentType: string;
}

/** Checks the one version of the object that `stored` describes. */
export async function verifyUpload(storage: ObjectStorage, key: string, stored: StoredObject, announced: Announced): Promise<Verdict> {
  const storedSize = stored.size;
  const sizeProblem = (size: number): Verdict => ({ problem: `The upload has ${size} bytes, not the declared ${announced.size}`, field: 'size' });
  if (storedSize !== announced.size) return sizeProblem(storedSize);

  const head = await storage.readRange(key, 0, Math.min(SNIFF_BYTES, storedSize), stored.version);
  const expected = kindOf(announced.contentType);
  // Binary types show in their first bytes: a mismatch is refused without reading the rest.
  if (expected !== 'text' && expected !== 'svg' && sniffMagic(head) !== expected) return typeProblem(announced.contentType);

  const inspection = await inspectContent(await storage.read(key, stored.version));
  if (inspection.size !== announced.size) return sizeProblem(inspection.size);
  if (!matchesDeclaredType(announced.contentType, detectKind(head, inspection.isText))) return typeProblem(announced.contentType);
  return { sha256: inspection.sha256 };
}

const typeProblem = (contentType: string): Verdict => ({ problem: `The uploaded bytes are not ${contentType}`, field: 'contentType' });

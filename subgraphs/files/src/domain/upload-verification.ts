// Whether the bytes an upload URL received are what createUpload announced: the declared size,
// and a type that the bytes themselves prove. Yields their SHA-256 when they are.
import type { ObjectStorage } from '../storage/object-storage.js';
import { inspectContent } from './content-inspection.js';
import { detectKind, kindOf, matchesDeclaredType, sniffMagic, SNIFF_BYTES } from './content-types.js';

export type Verdict = { sha256: string } | { problem: string; field: 'size' | 'contentType' };

export interface Announced {
  size: number;
  contentType: string;
}

export async function verifyUpload(storage: ObjectStorage, key: string, storedSize: number, announced: Announced): Promise<Verdict> {
  const sizeProblem = (size: number): Verdict => ({ problem: `The upload has ${size} bytes, not the declared ${announced.size}`, field: 'size' });
  if (storedSize !== announced.size) return sizeProblem(storedSize);

  const head = await storage.readRange(key, 0, Math.min(SNIFF_BYTES, storedSize));
  const expected = kindOf(announced.contentType);
  // Binary types show in their first bytes: a mismatch is refused without reading the rest.
  if (expected !== 'text' && expected !== 'svg' && sniffMagic(head) !== expected) return typeProblem(announced.contentType);

  const inspection = await inspectContent(await storage.read(key));
  if (inspection.size !== announced.size) return sizeProblem(inspection.size);
  if (!matchesDeclaredType(announced.contentType, detectKind(head, inspection.isText))) return typeProblem(announced.contentType);
  return { sha256: inspection.sha256 };
}

const typeProblem = (contentType: string): Verdict => ({ problem: `The uploaded bytes are not ${contentType}`, field: 'contentType' });

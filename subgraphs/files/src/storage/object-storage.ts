// Where file bytes live, behind one interface: any S3-compatible service (s3-storage.ts) or
// a local directory (local-disk-storage.ts, the embedded default). Keys are the service's
// own (domain/object-keys.ts), never client input.
import type { Readable } from 'node:stream';

export interface PresignPutOptions {
  /** The upload the URL is for (the local upload endpoint accepts each upload once). */
  fileId: string;
  contentType: string;
  /** Bytes the client declared; the upload may not send more. */
  size: number;
  expiresAt: Date;
}

export interface PresignedPut {
  url: string;
  /** Headers the client must send with its PUT. */
  headers: Record<string, string>;
}

/** The object is no longer the version that was checked (a presigned PUT was replayed meanwhile). */
export class ObjectChangedError extends Error {
  override name = 'ObjectChangedError';
}

/** An object as it was seen: reads and copies given its version refuse any other. */
export interface StoredObject {
  size: number;
  /** S3's ETag; undefined where objects cannot change under us (the local upload route takes each upload once). */
  version?: string;
}

export interface ObjectStorage {
  readonly kind: 's3' | 'local-disk';
  /** A URL the client PUTs the bytes to, without the bytes passing through GraphQL. */
  presignPut(key: string, options: PresignPutOptions): Promise<PresignedPut>;
  /** The object's size and version, or null when there is no object. */
  head(key: string): Promise<StoredObject | null>;
  /** Up to `length` bytes from `offset`, which must be inside the object (fewer at its end); of `version` only. */
  readRange(key: string, offset: number, length: number, version?: string): Promise<Buffer>;
  read(key: string, version?: string): Promise<Readable>;
  /** Stores bytes the service made itself (a text written through GraphQL) at the key. */
  put(key: string, bytes: Buffer): Promise<void>;
  /** Removes the object; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Copies the object; given `version`, that version only, else ObjectChangedError (the target then holds nothing checked). */
  copy(fromKey: string, toKey: string, version?: string): Promise<void>;
  /** Where the object is, for operators (s3://bucket/key, file:///dir/key). */
  uriOf(key: string): string;
  /** Readiness: throws when the storage cannot be reached. */
  ping(): Promise<void>;
}

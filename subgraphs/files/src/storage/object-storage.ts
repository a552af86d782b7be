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

export interface ObjectStorage {
  readonly kind: 's3' | 'local-disk';
  /** A URL the client PUTs the bytes to, without the bytes passing through GraphQL. */
  presignPut(key: string, options: PresignPutOptions): Promise<PresignedPut>;
  /** The object's size, or null when there is no object. */
  head(key: string): Promise<{ size: number } | null>;
  /** Up to `length` bytes from `offset`, which must be inside the object (fewer at its end). */
  readRange(key: string, offset: number, length: number): Promise<Buffer>;
  read(key: string): Promise<Readable>;
  /** Removes the object; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  copy(fromKey: string, toKey: string): Promise<void>;
  /** Where the object is, for operators (s3://bucket/key, file:///dir/key). */
  uriOf(key: string): string;
  /** Readiness: throws when the storage cannot be reached. */
  ping(): Promise<void>;
}

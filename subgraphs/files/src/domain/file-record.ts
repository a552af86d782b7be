import type { File, FileMetadata } from '../generated/prisma/client.ts';

/** A file row with its metadata, as resolvers and the HTTP routes use it. */
export type FileRecord = File & { metadata: FileMetadata | null };

/** The object key of a file's verified bytes. */
export const storageKeyOf = (file: FileRecord): string => {
  if (!file.metadata) throw new Error(`file ${file.id} has no metadata row`);
  return file.metadata.storageLocation;
};

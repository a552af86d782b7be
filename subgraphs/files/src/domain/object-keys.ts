// Where a file's bytes live in storage. Keys come from ids only, never from a client's file
// name, so no name can reach another object or a path outside the storage.

/** The verified bytes of a file. */
export const fileObjectKey = (userId: string, fileId: string) => `users/${userId}/files/${fileId}`;

/**
 * Where an upload URL writes. Only bytes that pass completeUpload are copied to the file's
 * key, so a URL used again (S3 lets a presigned URL write until it expires) never changes a
 * verified file; whatever lands here is deleted once the URL has expired.
 */
export const uploadObjectKey = (userId: string, fileId: string) => `users/${userId}/uploads/${fileId}`;

/** Content the service stored itself (a text written through GraphQL, a copy for another user). */
export const blobObjectKey = (userId: string, blobId: string) => `users/${userId}/blobs/${blobId}`;

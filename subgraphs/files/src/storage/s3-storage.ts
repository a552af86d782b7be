// Object storage on any S3-compatible service (AWS S3, MinIO, Cloudflare R2, s3rver...).
// Clients upload straight to the bucket through presigned PUT URLs.
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from './storage-config.js';
import { ObjectChangedError, type ObjectStorage } from './object-storage.js';

const isStatus = (error: unknown, status: number) =>
  error instanceof S3ServiceException && error.$metadata.httpStatusCode === status;

function clientFor(config: S3Config, endpoint: string | undefined): S3Client {
  return new S3Client({
    region: config.region,
    endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // Checksums only where S3 requires them: a default checksum would be signed into presigned
    // URLs as the checksum of an empty body, and not every S3-compatible server knows them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A request conditioned on a version: S3 answers 412 when the object is another one now. */
async function pinned<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (isStatus(error, 412)) throw new ObjectChangedError('the object changed while it was checked');
    throw error;
  }
}

export function createS3Storage(config: S3Config): ObjectStorage {
  const client = clientFor(config, config.endpoint);
  // A signature covers the host, so URLs for clients are signed for the host they will use.
  const presigner = config.publicEndpoint ? clientFor(config, config.publicEndpoint) : client;
  const Bucket = config.bucket;

  return {
    kind: 's3',

    async presignPut(key, { contentType, size, expiresAt }) {
      // Type and length are signed: S3 refuses a PUT that sends others.
      const command = new PutObjectCommand({ Bucket, Key: key, ContentType: contentType, ContentLength: size });
      const expiresIn = Math.max(1, Math.ceil((expiresAt.getTime() - Date.now()) / 1000));
      const url = await getSignedUrl(presigner, command, { expiresIn, signableHeaders: new Set(['content-type']) });
      return { url, headers: { 'content-type': contentType } };
    },

    async head(key) {
      try {
        const object = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { size: object.ContentLength ?? 0, version: object.ETag };
      } catch (error) {
        if (isStatus(error, 404)) return null;
        throw error;
      }
    },

    async readRange(key, offset, length, version) {
      if (length <= 0) return Buffer.alloc(0);
      const object = await pinned(() => client.send(new GetObjectCommand({ Bucket, Key: key, Range: `bytes=${offset}-${offset + length - 1}`, IfMatch: version })));
      return Buffer.from(await object.Body!.transformToByteArray());
    },

    async read(key, version) {
      const object = await pinned(() => client.send(new GetObjectCommand({ Bucket, Key: key, IfMatch: version })));
      return object.Body as Readable;
    },

    async put(key, bytes) {
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentLength: bytes.length }));
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async copy(fromKey, toKey, version) {
      const source = `${Bucket}/${fromKey}`.split('/').map(encodeURIComponent).join('/');
      const copied = await pinned(() => client.send(new CopyObjectCommand({ Bucket, Key: toKey, CopySource: source, CopySourceIfMatch: version })));
      // Servers that ignore the condition still say what they copied: a single-part ETag is the
      // MD5 of the bytes, so another ETag means other bytes. The copy is left where it is: the
      // caller discards the upload with it, unless a concurrent completion published the file.
      if (version && copied.CopyObjectResult?.ETag !== version) throw new ObjectChangedError(`${fromKey} changed while it was checked`);
    },

    uriOf: (key) => `s3://${Bucket}/${key}`,

    async ping() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
  };
}

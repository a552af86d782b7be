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
import type { ObjectStorage } from './object-storage.js';

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
        return { size: object.ContentLength ?? 0 };
      } catch (error) {
        if (isStatus(error, 404)) return null;
        throw error;
      }
    },

    async readRange(key, offset, length) {
      if (length <= 0) return Buffer.alloc(0);
      const object = await client.send(new GetObjectCommand({ Bucket, Key: key, Range: `bytes=${offset}-${offset + length - 1}` }));
      return Buffer.from(await object.Body!.transformToByteArray());
    },

    async read(key) {
      const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      return object.Body as Readable;
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async copy(fromKey, toKey) {
      const source = `${Bucket}/${fromKey}`.split('/').map(encodeURIComponent).join('/');
      await client.send(new CopyObjectCommand({ Bucket, Key: toKey, CopySource: source }));
    },

    uriOf: (key) => `s3://${Bucket}/${key}`,

    async ping() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
  };
}

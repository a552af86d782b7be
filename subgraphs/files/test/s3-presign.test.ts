// What a presigned upload URL makes S3 enforce. s3rver does not check signatures, so this is
// checked on the URL itself: real S3 (and MinIO, R2...) refuse a PUT whose signed headers differ.
import { createS3Storage } from '../src/storage/s3-storage.js';

describe('presigned S3 upload URLs', () => {
  const storage = createS3Storage({
    bucket: 'files',
    endpoint: 'http://s3:9000',
    publicEndpoint: 'http://localhost:9000',
    region: 'us-east-1',
    credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
    forcePathStyle: true,
  });

  it('signs the content type and length, for the public host, until the upload expires', async () => {
    const expiresAt = new Date(Date.now() + 900_000);
    const { url, headers } = await storage.presignPut('users/u/uploads/f', { fileId: 'f', contentType: 'image/png', size: 1234, expiresAt });
    const parsed = new URL(url);

    expect(`${parsed.origin}${parsed.pathname}`).toBe('http://localhost:9000/files/users/u/uploads/f');
    expect(parsed.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(Number(parsed.searchParams.get('X-Amz-Expires'))).toBeGreaterThanOrEqual(899);
    expect(headers).toEqual({ 'content-type': 'image/png' });
    // No checksum of an empty body signed in (the SDK's default would add one).
    expect([...parsed.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
  });
});

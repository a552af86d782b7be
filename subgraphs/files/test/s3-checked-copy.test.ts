// A presigned PUT can be replayed until it expires: between the check of an upload and its copy
// to the file's key, the bytes may change. The copy takes the version that was checked, or none.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { loadStorageConfig, type S3Config } from '../src/storage/storage-config.js';
import { createS3Storage } from '../src/storage/s3-storage.js';
import { ObjectChangedError } from '../src/storage/object-storage.js';
import { startS3Server, type S3Server } from './s3-server.js';

let s3: S3Server;
let config: S3Config;
let client: S3Client;

beforeAll(async () => {
  s3 = await startS3Server();
  const storage = loadStorageConfig(s3.env);
  if (storage.kind !== 's3') throw new Error('expected S3 storage');
  config = storage.s3;
  client = new S3Client({ endpoint: config.endpoint, region: config.region, credentials: config.credentials, forcePathStyle: true });
});

afterAll(async () => {
  client.destroy();
  await s3.close();
});

const put = (key: string, body: string) => client.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: body }));

test('the checked version is copied', async () => {
  const storage = createS3Storage(config);
  await put('uploads/a', 'checked bytes');
  const checked = (await storage.head('uploads/a'))!;
  expect(checked.version).toMatch(/^"[0-9a-f]{32}"$/);
  await storage.copy('uploads/a', 'files/a', checked.version);
  expect(await s3.listKeys('files/')).toEqual(['files/a']);
});

test('bytes written again after the check are refused', async () => {
  const storage = createS3Storage(config);
  await put('uploads/b', 'checked bytes');
  const checked = (await storage.head('uploads/b'))!;
  await put('uploads/b', '<script>replayed</script>');
  await expect(storage.copy('uploads/b', 'files/b', checked.version)).rejects.toBeInstanceOf(ObjectChangedError);
});

import { ConfigError } from '@builderai/kit';
import { loadFilesConfig } from '../src/config.js';

describe('files configuration', () => {
  it('defaults to local disk and the documented limits', () => {
    expect(loadFilesConfig({})).toEqual({
      publicUrl: undefined,
      previewUrl: undefined,
      quotaBytes: 100 * 1024 * 1024,
      maxFileBytes: 20 * 1024 * 1024,
      textMaxBytes: 512 * 1024,
      uploadTtlSeconds: 900,
      downloadTtlSeconds: 300,
      previewTtlSeconds: 3600,
      sweepIntervalSeconds: 60,
      storage: { kind: 'local-disk', dir: '.data/files' },
    });
  });

  it('uses S3 when S3_BUCKET is set', () => {
    const config = loadFilesConfig({
      S3_BUCKET: 'files',
      S3_ENDPOINT: 'http://s3:9000',
      S3_PUBLIC_ENDPOINT: 'http://localhost:9000',
      S3_ACCESS_KEY_ID: 'minio',
      S3_SECRET_ACCESS_KEY: 'minio-secret',
      S3_FORCE_PATH_STYLE: 'true',
      FILES_PUBLIC_URL: 'https://files.example.com/',
    });
    expect(config).toMatchObject({
      publicUrl: 'https://files.example.com',
      storage: {
        kind: 's3',
        s3: {
          bucket: 'files',
          endpoint: 'http://s3:9000',
          publicEndpoint: 'http://localhost:9000',
          region: 'us-east-1',
          credentials: { accessKeyId: 'minio', secretAccessKey: 'minio-secret' },
          forcePathStyle: true,
        },
      },
    });
    // Without keys, the AWS SDK finds credentials itself (environment, profile, IAM role).
    expect(loadFilesConfig({ S3_BUCKET: 'files' })).toMatchObject({ storage: { s3: { credentials: undefined, forcePathStyle: false } } });
  });

  it.each([
    [{ S3_BUCKET: 'files', S3_ACCESS_KEY_ID: 'only-half' }, 'S3_SECRET_ACCESS_KEY'],
    [{ S3_ENDPOINT: 'not a url' }, 'S3_ENDPOINT'],
    [{ S3_FORCE_PATH_STYLE: 'yes' }, 'S3_FORCE_PATH_STYLE'],
    [{ FILES_MAX_FILE_BYTES: String(2 ** 53) }, 'FILES_MAX_FILE_BYTES'],
    [{ FILES_QUOTA_BYTES: '0' }, 'FILES_QUOTA_BYTES'],
    [{ FILES_TEXT_MAX_BYTES: 'lots' }, 'FILES_TEXT_MAX_BYTES'],
    [{ FILES_UPLOAD_TTL_SECONDS: '-5' }, 'FILES_UPLOAD_TTL_SECONDS'],
    [{ FILES_PUBLIC_URL: 'files.example.com' }, 'FILES_PUBLIC_URL'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadFilesConfig(env)).toThrow(ConfigError);
    expect(() => loadFilesConfig(env)).toThrow(variable);
  });
});

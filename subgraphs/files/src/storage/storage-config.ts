// Where files are stored: any S3-compatible storage (AWS, MinIO, R2...) when S3_BUCKET is set,
// else a local directory (the embedded default).
import { z } from 'zod';
import { defineConfig, variable, type Env } from '@builderai/kit';

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const loadVariables = defineConfig(
  {
    dir: variable('FILES_STORAGE_DIR', z.string().min(1).default('.data/files')),
    bucket: variable('S3_BUCKET', z.string().min(1).optional()),
    endpoint: variable('S3_ENDPOINT', z.string().url().optional()),
    // Where clients reach the storage, when not at S3_ENDPOINT (e.g. http://localhost:9000 for a
    // MinIO the service reaches as http://s3:9000): upload URLs are signed for this host.
    publicEndpoint: variable('S3_PUBLIC_ENDPOINT', z.string().url().optional()),
    region: variable('S3_REGION', z.string().min(1).default('us-east-1')),
    // Without a key pair, the AWS SDK's default credential chain applies (env, profile, IAM role).
    accessKeyId: variable('S3_ACCESS_KEY_ID', z.string().min(1).optional()),
    secretAccessKey: variable('S3_SECRET_ACCESS_KEY', z.string().min(1).optional()),
    // MinIO, s3rver and most self-hosted servers need path-style URLs.
    forcePathStyle: variable('S3_FORCE_PATH_STYLE', flag.default('false')),
  },
  (c) => (!c.accessKeyId === !c.secretAccessKey ? undefined : ['S3_SECRET_ACCESS_KEY', 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together']),
);

export interface S3Config {
  bucket: string;
  endpoint?: string;
  publicEndpoint?: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
}

export type StorageConfig = { kind: 's3'; s3: S3Config } | { kind: 'local-disk'; dir: string };

export function loadStorageConfig(env: Env): StorageConfig {
  const { dir, bucket, accessKeyId, secretAccessKey, ...s3 } = loadVariables(env);
  if (!bucket) return { kind: 'local-disk', dir };
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
  return { kind: 's3', s3: { bucket, endpoint: s3.endpoint, publicEndpoint: s3.publicEndpoint, region: s3.region, credentials, forcePathStyle: s3.forcePathStyle } };
}

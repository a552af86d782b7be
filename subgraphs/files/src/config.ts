// The files service's environment, validated at start. Sizes are in bytes, durations in seconds.
import { z } from 'zod';
import { loadConfig, type Env } from '@builderai/kit';

const MIB = 1024 * 1024;
// File.size is a GraphQL Int.
const MAX_INT = 2 ** 31 - 1;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const baseUrl = z
  .string()
  .url()
  .transform((url) => url.replace(/\/+$/, ''))
  .optional();

const filesEnv = z
  .object({
    // Where browsers reach this service (upload, download and preview URLs); its own address by default.
    FILES_PUBLIC_URL: baseUrl,
    // The origin previews are served from; better a separate one (same service behind it).
    FILES_PREVIEW_URL: baseUrl,

    FILES_QUOTA_BYTES: positiveInt(100 * MIB),
    FILES_MAX_FILE_BYTES: z.coerce.number().int().positive().max(MAX_INT).default(20 * MIB),
    FILES_UPLOAD_TTL_SECONDS: seconds(900),
    FILES_DOWNLOAD_TTL_SECONDS: seconds(300),
    FILES_PREVIEW_TTL_SECONDS: seconds(3600),
    FILES_SWEEP_INTERVAL_SECONDS: seconds(60),

    // Local disk (the embedded default), used when S3_BUCKET is not set.
    FILES_STORAGE_DIR: z.string().min(1).default('.data/files'),

    // Any S3-compatible storage (AWS, MinIO, R2...), used when S3_BUCKET is set.
    S3_BUCKET: z.string().min(1).optional(),
    S3_ENDPOINT: z.string().url().optional(),
    // Where clients reach the storage, when not at S3_ENDPOINT (e.g. http://localhost:9000 for a
    // MinIO the service reaches as http://s3:9000): upload URLs are signed for this host.
    S3_PUBLIC_ENDPOINT: z.string().url().optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    // Without a key pair, the AWS SDK's default credential chain applies (env, profile, IAM role).
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    // MinIO, s3rver and most self-hosted servers need path-style URLs.
    S3_FORCE_PATH_STYLE: flag.default('false'),
  })
  .refine((env) => !env.S3_ACCESS_KEY_ID === !env.S3_SECRET_ACCESS_KEY, {
    message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together',
    path: ['S3_SECRET_ACCESS_KEY'],
  });

export interface S3Config {
  bucket: string;
  endpoint?: string;
  publicEndpoint?: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
}

export interface FilesConfig {
  publicUrl?: string;
  previewUrl?: string;
  quotaBytes: number;
  maxFileBytes: number;
  uploadTtlSeconds: number;
  downloadTtlSeconds: number;
  previewTtlSeconds: number;
  sweepIntervalSeconds: number;
  /** S3 when configured, else local disk. */
  storage: { kind: 's3'; s3: S3Config } | { kind: 'local-disk'; dir: string };
}

export function loadFilesConfig(env: Env): FilesConfig {
  const c = loadConfig(filesEnv, env);
  const credentials =
    c.S3_ACCESS_KEY_ID && c.S3_SECRET_ACCESS_KEY ? { accessKeyId: c.S3_ACCESS_KEY_ID, secretAccessKey: c.S3_SECRET_ACCESS_KEY } : undefined;
  return {
    publicUrl: c.FILES_PUBLIC_URL,
    previewUrl: c.FILES_PREVIEW_URL,
    quotaBytes: c.FILES_QUOTA_BYTES,
    maxFileBytes: c.FILES_MAX_FILE_BYTES,
    uploadTtlSeconds: c.FILES_UPLOAD_TTL_SECONDS,
    downloadTtlSeconds: c.FILES_DOWNLOAD_TTL_SECONDS,
    previewTtlSeconds: c.FILES_PREVIEW_TTL_SECONDS,
    sweepIntervalSeconds: c.FILES_SWEEP_INTERVAL_SECONDS,
    storage: c.S3_BUCKET
      ? {
          kind: 's3',
          s3: {
            bucket: c.S3_BUCKET,
            endpoint: c.S3_ENDPOINT,
            publicEndpoint: c.S3_PUBLIC_ENDPOINT,
            region: c.S3_REGION,
            credentials,
            forcePathStyle: c.S3_FORCE_PATH_STYLE,
          },
        }
      : { kind: 'local-disk', dir: c.FILES_STORAGE_DIR },
  };
}

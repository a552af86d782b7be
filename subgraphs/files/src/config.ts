// The files service's environment, validated at start. Sizes are in bytes, durations in seconds.
import { z } from 'zod';
import { defineConfig, variable, type Env } from '@builderai/kit';
import { loadStorageConfig } from './storage/storage-config.js';

const MIB = 1024 * 1024;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const baseUrl = z
  .string()
  .url()
  .transform((url) => url.replace(/\/+$/, ''))
  .optional();

const loadLimits = defineConfig({
  // Where browsers reach this service (upload, download and preview URLs); its own address by default.
  publicUrl: variable('FILES_PUBLIC_URL', baseUrl),
  // The origin previews are served from; better a separate one (same service behind it).
  previewUrl: variable('FILES_PREVIEW_URL', baseUrl),
  quotaBytes: variable('FILES_QUOTA_BYTES', positiveInt(100 * MIB)),
  maxFileBytes: variable('FILES_MAX_FILE_BYTES', z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).default(20 * MIB)),
  // The largest text writeFile and commitTurn take, and File.text and diffs read.
  textMaxBytes: variable('FILES_TEXT_MAX_BYTES', positiveInt(512 * 1024)),
  uploadTtlSeconds: variable('FILES_UPLOAD_TTL_SECONDS', seconds(900)),
  downloadTtlSeconds: variable('FILES_DOWNLOAD_TTL_SECONDS', seconds(300)),
  previewTtlSeconds: variable('FILES_PREVIEW_TTL_SECONDS', seconds(3600)),
  sweepIntervalSeconds: variable('FILES_SWEEP_INTERVAL_SECONDS', seconds(60)),
});

export const loadFilesConfig = (env: Env) => ({ ...loadLimits(env), storage: loadStorageConfig(env) });

export type FilesConfig = ReturnType<typeof loadFilesConfig>;

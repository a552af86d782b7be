import type { FilesConfig } from '../config.js';
import type { TokenSigner } from '../domain/signed-tokens.js';
import { createLocalDiskStorage } from './local-disk-storage.js';
import type { ObjectStorage } from './object-storage.js';
import { createS3Storage } from './s3-storage.js';

/** S3 when S3_BUCKET is set, else the local directory. */
export function createStorage(config: FilesConfig, tokens: TokenSigner, publicUrl: () => string): ObjectStorage {
  return config.storage.kind === 's3'
    ? createS3Storage(config.storage.s3)
    : createLocalDiskStorage({ dir: config.storage.dir, tokens, publicUrl });
}

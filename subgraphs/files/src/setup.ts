// Builds what the files domain shares: storage (S3 or local disk), URL signing and the question
// of project access, asked of the router.
import { secretFrom, type ServiceRuntime } from '@builderai/kit';
import type { FilesConfig } from './config.js';
import type { Db } from './domain/db.js';
import { createLinks } from './domain/links.js';
import { projectAccessThroughRouter } from '@builderai/projects/access';
import { createTokenSigner } from './domain/signed-tokens.js';
import { createStorage } from './storage/create-storage.js';

export function setupFiles({ env, config, router, ownUrl, logger }: ServiceRuntime<Db, FilesConfig>) {
  // The files service's own secret: its URLs open nothing else, and nothing else opens them.
  const tokens = createTokenSigner(secretFrom(env, 'FILES_URL_SECRET', logger));
  const publicUrl = () => config.publicUrl ?? ownUrl();
  const storage = createStorage(config, tokens, publicUrl);
  if (config.storage.kind === 's3') logger.info({ bucket: config.storage.s3.bucket, endpoint: config.storage.s3.endpoint ?? 'AWS' }, 'files stored in S3');
  else logger.info({ dir: config.storage.dir }, 'S3_BUCKET not set: files stored on local disk (embedded mode)');
  // A preview runs the project's own scripts: on the files service's origin they sit beside its
  // upload and download URLs. Development may share it; deployments should not.
  if (!config.previewUrl) logger.warn('FILES_PREVIEW_URL not set: previews are served from the files service\'s own origin; give them an origin of their own');
  const links = createLinks({
    tokens,
    publicUrl,
    previewUrl: () => config.previewUrl ?? publicUrl(),
    downloadTtlSeconds: config.downloadTtlSeconds,
    previewTtlSeconds: config.previewTtlSeconds,
  });
  return { storage, tokens, links, projectAccess: projectAccessThroughRouter(router) };
}

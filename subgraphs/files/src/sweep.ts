// The periodic clean-up: uploads whose URL expired without completion give their space back,
// blobs nothing references any more (a collection that failed) are collected, and objects
// whose deletion is due (or failed before) are deleted.
import type { FilesDeps } from './deps.js';
import { collectLeftoverBlobs } from './domain/blob-collection.js';
import { runDueDeletions } from './domain/object-deletions.js';
import { expireUploads } from './domain/uploads.js';

export async function sweep(deps: FilesDeps): Promise<void> {
  const expired = await expireUploads(deps.db);
  const collected = await collectLeftoverBlobs(deps);
  const deleted = await runDueDeletions(deps.db, deps.storage, deps.logger);
  if (expired + collected + deleted > 0) deps.logger.debug({ expired, collected, deleted }, 'swept expired uploads, unreferenced blobs and due deletions');
}

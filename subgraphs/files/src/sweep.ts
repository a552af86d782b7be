// The periodic clean-up: uploads whose URL expired without completion give their space back,
// and objects whose deletion is due (or failed before) are deleted.
import type { FilesDeps } from './deps.js';
import { runDueDeletions } from './domain/object-deletions.js';
import { expireUploads } from './domain/uploads.js';

export async function sweep(deps: FilesDeps): Promise<void> {
  const expired = await expireUploads(deps.db);
  const deleted = await runDueDeletions(deps.db, deps.storage, deps.logger);
  if (expired + deleted > 0) deps.logger.debug({ expired, deleted }, 'swept expired uploads and due deletions');
}

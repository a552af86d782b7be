// The periodic clean-up: uploads whose URL expired without completion give their space back,
// and objects whose deletion is due (or failed before) are deleted.
import { startPeriodic } from '@builderai/kit';
import type { FilesDeps } from './deps.js';
import { runDueDeletions } from './domain/object-deletions.js';
import { expireUploads } from './domain/uploads.js';

export interface Sweeper {
  /** One pass now; resolves when it is done. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

export function startSweeper(deps: FilesDeps, intervalMs: number): Sweeper {
  const log = deps.logger.child({ component: 'files-sweeper' });
  const pass = async () => {
    const expired = await expireUploads(deps.db);
    const deleted = await runDueDeletions(deps.db, deps.storage, deps.logger);
    if (expired + deleted > 0) log.debug({ expired, deleted }, 'swept expired uploads and due deletions');
  };
  const onError = (error: unknown) => log.warn({ err: error }, 'sweep failed; will retry');
  const task = startPeriodic(pass, { intervalMs, onError });

  return {
    // Asked for directly, a failed pass is logged like a scheduled one.
    sweep: () => task.runNow().catch(onError),
    stop: task.stop,
  };
}

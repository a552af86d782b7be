// The periodic clean-up: uploads whose URL expired without completion give their space back,
// and objects whose deletion is due (or failed before) are deleted.
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
  let running: Promise<void> = Promise.resolve();

  const pass = async () => {
    try {
      const expired = await expireUploads(deps.db);
      const deleted = await runDueDeletions(deps.db, deps.storage, deps.logger);
      if (expired + deleted > 0) log.debug({ expired, deleted }, 'swept expired uploads and due deletions');
    } catch (error) {
      log.warn({ err: error }, 'sweep failed; will retry');
    }
  };
  // Passes never overlap.
  const sweep = () => (running = running.then(pass));

  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();

  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

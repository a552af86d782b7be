// Which checks are due: one instance claims them (the row's next check moves on, with jitter so
// servers registered together drift apart) and records a job for each; the job queue spreads
// them over the instances. A server is checked once per interval however many instances run.
import type { McpApp } from '../context.js';
import { mcpEvents } from '../events.js';

const BATCH = 100;

export async function scheduleDueChecks(app: Pick<McpApp, 'db' | 'config' | 'publishEvents'>): Promise<number> {
  const intervalMs = app.config.checkIntervalSeconds * 1000;
  const claimed = await app.db.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `UPDATE servers SET next_check_at = now() + make_interval(secs => $1::double precision * (0.9 + random() * 0.2))
        WHERE id IN (SELECT id FROM servers WHERE next_check_at <= now() ORDER BY next_check_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id::text`,
      intervalMs / 1000,
      BATCH,
    );
    for (const { id } of rows) await mcpEvents.record(tx, 'mcp.check.requested', { serverId: id });
    return rows.length;
  });
  if (claimed > 0) app.publishEvents();
  return claimed;
}

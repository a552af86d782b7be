import type { Blob } from '../generated/prisma/client.ts';
import type { FilesContext } from '../context.js';
import { DEFAULT_MAX_LINES, unifiedDiff } from '../domain/checkpoints/unified-diff.js';
import { isTextType } from '../domain/text-files.js';
import type { FileChangeResolvers } from '../generated/graphql.js';

// A side's text: null when there is no file on that side, undefined when it cannot be shown as text.
async function sideOf(blob: Blob | null, type: string | null, ctx: FilesContext): Promise<string | null | undefined> {
  if (!blob) return null;
  if (!isTextType(type)) return undefined;
  return (await ctx.loaders.text.load({ key: blob.key, size: blob.size })) ?? undefined;
}

export const FileChange: FileChangeResolvers = {
  previousChecksum: (change) => change.previousBlob?.sha256 ?? null,

  checksum: (change) => change.blob?.sha256 ?? null,

  size: (change) => change.blob?.size ?? 0,

  // Computed only when asked for: the texts are read (once per request) and compared here.
  diff: async (change, _, ctx) => {
    const [before, after] = await Promise.all([sideOf(change.previousBlob, change.previousType, ctx), sideOf(change.blob, change.type, ctx)]);
    if (before === undefined || after === undefined) return null;
    const { diff, truncated, added, removed } = unifiedDiff(change.path, before, after);
    return truncated ? `${diff}[diff cut after ${DEFAULT_MAX_LINES} lines; ${added} lines added and ${removed} removed in all]\n` : diff;
  },
};

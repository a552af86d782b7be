import type { FilesContext } from '../context.js';
import { canSeeFile } from '../domain/files.js';
import type { FileRecord } from '../domain/file-record.js';
import type { FileResolvers } from '../generated/graphql.js';

export const File: FileResolvers = {
  // Batched per request; someone else's file resolves to null, like an unknown one.
  __resolveReference: async ({ id }, ctx: FilesContext): Promise<FileRecord | null> => {
    const file = await ctx.loaders.file.load(id);
    return file && canSeeFile(ctx.identity, file) ? file : null;
  },

  contentType: (file) => file.type,

  checksum: (file) => file.metadata?.checksum ?? null,

  project: (file) => ({ id: file.projectId }),

  downloadUrl: (file, _, ctx) => (file.status === 'READY' ? ctx.files.links.downloadUrl(file.id) : null),
};

import type { FilesContext } from '../context.js';
import { canSeeFile } from '../domain/files.js';
import type { FileRecord } from '../domain/file-record.js';
import { isTextType } from '../domain/text-files.js';
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

  // Read only when asked for, once per object and request.
  text: (file, _, ctx) =>
    file.status === 'READY' && file.metadata && isTextType(file.type) ? ctx.loaders.text.load({ key: file.metadata.storageLocation, size: file.size }) : null,
};

import { canSeeFile } from '../domain/files.js';
import { parseFilePath } from '../domain/file-paths.js';
import { decodeCursor, encodeCursor, pageSize } from '../domain/checkpoints/history.js';
import type { EntityRef } from '@builderai/kit';
import type { ProjectResolvers } from '../generated/graphql.js';

export const Project: ProjectResolvers = {
  // The projects service decides whether the project exists; files only adds to it.
  __resolveReference: ({ id }): EntityRef => ({ id }),

  // Batched per request: one query for every project of the request. The router only asks for
  // projects the projects service let the caller see; the owner check here is a second line.
  files: async ({ id }, _, ctx) => (await ctx.loaders.projectFiles.load(id)).filter((file) => canSeeFile(ctx.identity, file)),

  // Batched per request: one query for every project of the request.
  previewUrl: async ({ id }, _, ctx) => {
    const index = await ctx.loaders.previewIndex.load(id);
    const mayOpen = index && (index.userId === ctx.identity.userId || ctx.identity.roles.includes('ADMIN'));
    return mayOpen ? ctx.files.links.previewUrl(index.projectId) : null;
  },

  // A path no file can have (one that climbs out, say) has no file.
  file: async ({ id }, { path }, ctx) => {
    const parsed = parseFilePath(path);
    if ('problem' in parsed) return null;
    const file = await ctx.loaders.projectFile.load({ projectId: id, path: parsed.path });
    return file && canSeeFile(ctx.identity, file) ? file : null;
  },

  // Newest first; the caller's own checkpoints (every one for an admin), nothing for anyone else.
  checkpoints: async ({ id }, { first, after }, ctx) => {
    const size = pageSize(first);
    const before = after == null ? undefined : decodeCursor(after);
    const isAdmin = ctx.identity.roles.includes('ADMIN');
    if (!ctx.identity.userId && !isAdmin) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    const loaded = await ctx.loaders.checkpointPage.load({ projectId: id, userId: isAdmin ? undefined : ctx.identity.userId, take: size + 1, before });
    const page = loaded.slice(0, size);
    const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
    return { edges, pageInfo: { hasNextPage: loaded.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  },
};

import { canSeeFile } from '../domain/files.js';
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
};

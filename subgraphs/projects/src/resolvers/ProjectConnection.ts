import type { ProjectConnectionResolvers } from '../generated/graphql.js';

export const ProjectConnection: ProjectConnectionResolvers = {
  // Counted only when asked for: a query of its own.
  totalCount: (page) => page.count(),
};

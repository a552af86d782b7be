import type { ProjectPage } from '../domain/listing.js';

export const ProjectConnection = {
  // Counted only when asked for: a query of its own.
  totalCount: (page: ProjectPage) => page.count(),
};

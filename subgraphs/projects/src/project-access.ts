// How another service asks whether a user may use a project (put files in it, talk about it):
// through the router, as the user, so the same rule that lets the user see the project decides.
// Declared here, by the projects service, and imported as @builderai/projects/access.
import { isUuid, notFound, RouterRequestError, type Identity, type RouterClient } from '@builderai/kit';

export interface ProjectAccess {
  /** Resolves when `identity` may use the project; NOT_FOUND when it is unknown or not theirs. */
  assertCanUse(identity: Identity, projectId: string, requestId?: string): Promise<void>;
}

const PROJECT = 'query ($id: ID!) { project(id: $id) { id } }';

// Codes that mean "not yours to see": answered like an unknown project, so ids leak nothing.
const NOT_YOURS = new Set(['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED']);

export function projectAccessThroughRouter(router: RouterClient): ProjectAccess {
  return {
    async assertCanUse(identity, projectId, requestId) {
      if (!isUuid(projectId)) throw notFound('Project');
      let data: { project: { id: string } | null };
      try {
        data = await router.request(identity, PROJECT, { id: projectId }, { requestId });
      } catch (error) {
        if (error instanceof RouterRequestError && NOT_YOURS.has(String(error.extensions.code))) throw notFound('Project');
        throw error;
      }
      if (!data.project) throw notFound('Project');
    },
  };
}

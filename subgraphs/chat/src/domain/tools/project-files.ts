// The project's files as the AI's tools reach them: through the router, as the user the answer
// is written for, so the files service applies its own rules and quotas (never its database).
import { RouterRequestError, type Identity, type RouterClient } from '@builderai/kit';

export interface ProjectFileEntry {
  path: string;
  size: number;
  checksum: string | null;
}

export interface ProjectFileText extends ProjectFileEntry {
  /** Null when the file is not text (an image) or too large to read as text. */
  text: string | null;
}

/** One file of a turn's change set: written with `text`, or deleted (`text` null). */
export interface FileChange {
  path: string;
  text: string | null;
  /** The checksum the file had when the turn first saw it ("" for none): changed since, the commit is refused. */
  ifChecksum: string;
}

export interface ProjectFiles {
  list(): Promise<ProjectFileEntry[]>;
  read(path: string): Promise<ProjectFileText | null>;
  /** Applies a turn's changes as one checkpoint; its id, or null when nothing changed. */
  commit(messageId: string, changes: FileChange[]): Promise<string | null>;
}

const LIST = 'query ($id: ID!) { project(id: $id) { files { path size checksum } } }';
const READ = 'query ($id: ID!, $path: String!) { project(id: $id) { file(path: $path) { path size checksum text } } }';
const COMMIT = 'mutation ($input: CommitTurnInput!) { commitTurn(input: $input) { id } }';

/** A failure of the platform, in words the user (or the model) can act on. */
export class ProjectFilesError extends Error {
  override name = 'ProjectFilesError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function readable(error: unknown): never {
  if (error instanceof RouterRequestError) throw new ProjectFilesError(error.message, String(error.extensions.code));
  throw new ProjectFilesError(`The files service could not be reached: ${(error as Error).message}`, 'UNAVAILABLE');
}

export function projectFilesThroughRouter(router: RouterClient, identity: Identity, projectId: string, requestId: string): ProjectFiles {
  const ask = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    try {
      return await router.request<T>(identity, query, variables, { requestId });
    } catch (error) {
      return readable(error);
    }
  };
  const projectOf = <T>(data: { project: T | null }) => {
    if (!data.project) throw new ProjectFilesError('The project is gone', 'NOT_FOUND');
    return data.project;
  };
  return {
    async list() {
      return projectOf(await ask<{ project: { files: ProjectFileEntry[] } | null }>(LIST, { id: projectId })).files;
    },
    async read(path) {
      return projectOf(await ask<{ project: { file: ProjectFileText | null } | null }>(READ, { id: projectId, path })).file;
    },
    async commit(messageId, changes) {
      const data = await ask<{ commitTurn: { id: string } | null }>(COMMIT, { input: { projectId, messageId, changes } });
      return data.commitTurn?.id ?? null;
    },
  };
}

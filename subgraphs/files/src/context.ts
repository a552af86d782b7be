// What every files resolver receives: the request's identity, the service's dependencies and
// the request's own loaders.
import type { RequestContext } from '@builderai/kit';
import type { FilesDeps } from './deps.js';
import { createLoaders, type FilesLoaders } from './loaders.js';

export interface FilesContext extends RequestContext {
  files: FilesDeps;
  loaders: FilesLoaders;
}

export function createFilesContext(base: RequestContext, files: FilesDeps): FilesContext {
  return { ...base, files, loaders: createLoaders(files.db) };
}

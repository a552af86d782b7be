// What every files resolver receives: the request's identity, the service's dependencies and
// the request's own loaders.
import type { RequestContext } from '@builderai/kit';
import type { FilesDeps } from './deps.js';
import { createLoaders } from './loaders.js';

export const createFilesContext = (base: RequestContext, files: FilesDeps) => ({ ...base, files, loaders: createLoaders(files) });

export type FilesContext = ReturnType<typeof createFilesContext>;

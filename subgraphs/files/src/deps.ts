// What the files domain works with, built once at start (setup.ts) and shared by resolvers,
// HTTP routes, event handlers and the sweeper.
import type { ServiceRuntime } from '@builderai/kit';
import type { FilesConfig } from './config.js';
import type { Db } from './domain/db.js';
import type { Links } from './domain/links.js';
import type { ProjectAccess } from './domain/project-access.js';
import type { TokenSigner } from './domain/signed-tokens.js';
import type { ObjectStorage } from './storage/object-storage.js';

export type FilesDeps = ServiceRuntime<Db, FilesConfig> & {
  storage: ObjectStorage;
  tokens: TokenSigner;
  links: Links;
  projectAccess: ProjectAccess;
};

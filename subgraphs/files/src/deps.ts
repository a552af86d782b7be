// What the files domain works with, built once at start and shared by resolvers, HTTP routes,
// event handlers and the sweeper.
import type { Logger } from '@builderai/kit';
import type { FilesConfig } from './config.js';
import type { Db } from './domain/db.js';
import type { Links } from './domain/links.js';
import type { ProjectAccess } from './domain/project-access.js';
import type { TokenSigner } from './domain/signed-tokens.js';
import type { ObjectStorage } from './storage/object-storage.js';

export interface FilesDeps {
  db: Db;
  storage: ObjectStorage;
  config: FilesConfig;
  tokens: TokenSigner;
  links: Links;
  projectAccess: ProjectAccess;
  logger: Logger;
  /** Publishes the events just committed to the outbox now, rather than at the relay's next pass. */
  publishEvents: () => void;
}

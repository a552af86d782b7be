// What the files domain works with, built once at start (setup.ts) and shared by resolvers,
// HTTP routes, event handlers and the sweeper.
import type { ServiceRuntime } from '@builderai/kit';
import type { FilesConfig } from './config.js';
import type { Db } from './domain/db.js';
import type { setupFiles } from './setup.js';

export type FilesDeps = ServiceRuntime<Db, FilesConfig> & ReturnType<typeof setupFiles>;

// The services that own a database: every prisma/<name>/schema.prisma. The one place
// that discovers them, so adding a service's schema is all it takes to migrate it.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/kit/src/services.ts). */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export function listDatabaseServices(root: string = REPO_ROOT): string[] {
  const prismaDir = path.join(root, 'prisma');
  return readdirSync(prismaDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(prismaDir, entry.name, 'schema.prisma')))
    .map((entry) => entry.name)
    .sort();
}

/** The Prisma CLI config of one service's database. */
export function prismaConfigPath(root: string, service: string): string {
  return path.join(root, 'prisma', service, 'prisma.config.ts');
}

// Shared Prisma CLI config for every service database (prisma/<service>/prisma.config.ts).
// Runs the JS schema engine through @prisma/adapter-pg: no engine binary is downloaded.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// The wasm schema engine cannot read Postgres `name` and `"char"` columns of the catalog
// (prisma/prisma#27403); reporting them as `text` is lossless for its queries.
const PG_CHAR = 18;
const PG_NAME = 19;
const PG_TEXT = 25;
type ResultPrototype = { addFields(fields: Array<{ dataTypeID: number }>): void };
const resultPrototype = pg.Result.prototype as unknown as ResultPrototype;
const addFields = resultPrototype.addFields;
resultPrototype.addFields = function (fields) {
  for (const field of fields) if (field.dataTypeID === PG_NAME || field.dataTypeID === PG_CHAR) field.dataTypeID = PG_TEXT;
  return addFields.call(this, fields);
};

// The event tables are defined once (prisma/events.prisma); each service's schema folder gets a
// copy, so its client and its migrations include them (Prisma's multi-file schema).
const EVENTS_FRAGMENT = path.join(import.meta.dirname, 'events.prisma');
export const PLACED_EVENTS_FILE = 'events.generated.prisma';

function placeEventTables(serviceDir: string): void {
  const placed = `// Copied from prisma/events.prisma by prisma/service-config.ts: edit that file.\n${readFileSync(EVENTS_FRAGMENT, 'utf8')}`;
  const target = path.join(serviceDir, PLACED_EVENTS_FILE);
  let current: string | undefined;
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current !== placed) writeFileSync(target, placed);
}

export function serviceConfig(serviceDir: string) {
  placeEventTables(serviceDir);
  // `prisma generate` only needs a syntactically valid URL; migrate gets the real one.
  process.env.DATABASE_URL ??= `postgresql://postgres@127.0.0.1:5432/builderai_${path.basename(serviceDir)}`;
  const connectionString = process.env.DATABASE_URL;
  return defineConfig({
    engine: 'js',
    experimental: { adapter: true },
    schema: serviceDir,
    migrations: { path: path.join(serviceDir, 'migrations') },
    // `?schema=` (embedded mode): Prisma creates the schema and keeps its tables there; the
    // embedded server points the session's search_path at it, so the migrations' unqualified
    // SQL and _prisma_migrations land in it too.
    adapter: async () => {
      const schema = new URL(connectionString).searchParams.get('schema');
      return new PrismaPg({ connectionString }, schema ? { schema } : undefined);
    },
  });
}

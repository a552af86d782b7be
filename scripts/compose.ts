// `npm run compose`: composes supergraph.yaml into router/supergraph.graphql (what the router
// serves) and sdk/schema.graphql (the client-facing API schema). Exits 1 on composition errors.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_SCHEMA_FILE, CompositionError, SUPERGRAPH_FILE, composeSupergraph } from '../router/src/composition.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

try {
  const { supergraphSdl, apiSchemaSdl, warnings } = composeSupergraph(root);
  for (const warning of warnings) console.warn(`note: ${warning}\n`);
  for (const [file, content] of [
    [SUPERGRAPH_FILE, supergraphSdl],
    [API_SCHEMA_FILE, apiSchemaSdl],
  ] as const) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
    console.log(`wrote ${file}`);
  }
} catch (error) {
  console.error(error instanceof CompositionError ? error.message : error);
  process.exit(1);
}

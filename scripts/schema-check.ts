// `npm run schema:check`: lists the API schema's changes since the last commit (sdk/schema.graphql
// against HEAD's) and exits 1 when a breaking change is not acknowledged in
// router/schema-changes.json. Retire fields with @deprecated instead of removing them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_SCHEMA_FILE, composeSupergraph } from '../router/src/composition.js';
import { ACKNOWLEDGEMENTS_FILE, compareApiSchemas, type AcknowledgedChange } from '../router/src/schema-changes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function committedApiSchema(): string | undefined {
  try {
    return execFileSync('git', ['show', `HEAD:${API_SCHEMA_FILE}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

function readAcknowledgements(): AcknowledgedChange[] {
  const file = path.join(root, ACKNOWLEDGEMENTS_FILE);
  if (!existsSync(file)) return [];
  const entries = JSON.parse(readFileSync(file, 'utf8')) as AcknowledgedChange[];
  const invalid = entries.filter((entry) => typeof entry?.change !== 'string' || typeof entry?.reason !== 'string' || !entry.reason.trim());
  if (invalid.length > 0) throw new Error(`${ACKNOWLEDGEMENTS_FILE}: every entry needs a "change" and a non-empty "reason"`);
  return entries;
}

/** The file is what gets compared, so say when it lags behind the subgraphs' schemas. */
function warnIfStale(current: string): void {
  try {
    if (composeSupergraph(root).apiSchemaSdl !== current) console.warn(`warning: ${API_SCHEMA_FILE} is stale; run npm run compose first\n`);
  } catch (error) {
    console.warn(`warning: could not compose the supergraph to check ${API_SCHEMA_FILE} is current:\n${(error as Error).message}\n`);
  }
}

const list = (title: string, items: string[]) => {
  if (items.length === 0) return;
  console.log(`${title}:`);
  for (const item of items) console.log(`  - ${item}`);
  console.log();
};

try {
  const currentFile = path.join(root, API_SCHEMA_FILE);
  if (!existsSync(currentFile)) throw new Error(`${API_SCHEMA_FILE} is missing; run npm run compose`);
  const current = readFileSync(currentFile, 'utf8');
  warnIfStale(current);
  const previous = committedApiSchema();
  if (previous === undefined) {
    console.log(`No committed ${API_SCHEMA_FILE} yet: nothing to compare.`);
    process.exit(0);
  }

  const report = compareApiSchemas(previous, current, readAcknowledgements());
  list('Breaking changes', report.breaking);
  list('Dangerous changes (may affect clients)', report.dangerous);
  list('Newly deprecated', report.newlyDeprecated);
  list('Removed without being deprecated first', report.removedWithoutDeprecation);
  list(`Acknowledgements in ${ACKNOWLEDGEMENTS_FILE} that match no change (can be removed)`, report.unusedAcknowledgements);

  if (report.unacknowledged.length > 0) {
    list('Not acknowledged', report.unacknowledged);
    console.error(
      `schema:check failed: ${report.unacknowledged.length} breaking change(s). Prefer @deprecated; if the break is intended, ` +
        `add { "change": "<the line above>", "reason": "..." } to ${ACKNOWLEDGEMENTS_FILE}.`,
    );
    process.exit(1);
  }
  console.log(report.breaking.length > 0 ? 'schema:check passed: every breaking change is acknowledged.' : 'schema:check passed: no breaking changes.');
} catch (error) {
  console.error(`schema:check failed: ${(error as Error).message}`);
  process.exit(1);
}

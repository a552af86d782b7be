// `npm run events:table`: rewrites the README's table of events from the event contracts.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../packages/kit/src/services.js';
import { renderEventsTable, withEventsTable } from './lib/events-table.js';

const file = path.join(REPO_ROOT, 'README.md');
const readme = readFileSync(file, 'utf8');
const updated = withEventsTable(readme, await renderEventsTable(REPO_ROOT));
writeFileSync(file, updated);
console.log(updated === readme ? 'README events table is up to date' : 'README events table rewritten');

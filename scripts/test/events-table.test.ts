// The README's table of events is the contracts': a change to an event or a consumer that is
// not written into the README fails here (npm run events:table rewrites it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@builderai/kit/services';
import { renderEventsTable, withEventsTable } from '../lib/events-table.js';

test('the README lists every event of every contract, with its consumers', async () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const table = await renderEventsTable(REPO_ROOT);
  expect(table).toContain('| `auth.user.registered` | auth | userId, email, name |');
  expect(table).toContain('users (`users.auth-events`)');
  expect(withEventsTable(readme, table)).toBe(readme);
});

// Generated code is committed, so it must match what its sources generate now: resolver
// types from each subgraph's schema.graphql and the SDK from sdk/schema.graphql + operations.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@builderai/kit/services';

test('codegen output is up to date (run `npm run codegen`)', async () => {
  // Codegen loads its plugins as plain Node modules, so it runs outside jest's module system.
  const result = await promisify(execFile)('npx', ['tsx', 'scripts/codegen-check.ts'], { cwd: REPO_ROOT }).catch((error) => error);
  expect(result.stderr ?? '').toBe('');
  expect(result.stdout).toMatch(/up to date \(\d+ files\)/);
}, 60_000);

// `npm run codegen:check`: fails when committed generated code (resolver types, SDK) differs
// from what codegen.ts generates now. Writes nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const outputs: Array<{ filename: string; content: string }> = await generate({ ...config, silent: true }, false);
const stale = outputs.filter((output) => {
  try {
    return readFileSync(path.resolve(root, output.filename), 'utf8') !== output.content;
  } catch {
    return true;
  }
});
if (stale.length > 0) {
  console.error(`Generated code is stale; run \`npm run codegen\` and commit:\n${stale.map((output) => `  ${output.filename}`).join('\n')}`);
  process.exit(1);
}
console.log(`Generated code is up to date (${outputs.length} files).`);

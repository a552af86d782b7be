// The system prompt's project part: bounded in the job (snapshotOf) and in tokens (systemPrompt),
// the files not listed counted.
import { countTokens } from 'gpt-tokenizer';
import { snapshotOf, systemPrompt } from '../src/domain/prompt.js';
import { tokenizer } from '../src/domain/tokens.js';

const files = Array.from({ length: 250 }, (_, i) => ({ path: `src/components/widget-${i}.tsx`, size: 1000 + i }));

test('a job carries at most 200 files and says how many more there are; long texts are cut', () => {
  const snapshot = snapshotOf({ name: 'n'.repeat(300), description: null, prompt: 'p'.repeat(25_000), files });
  expect(snapshot.files).toHaveLength(200);
  expect(snapshot.files[0]).toEqual({ path: 'src/components/widget-0.tsx', size: 1000 });
  expect(snapshot.moreFiles).toBe(50);
  expect(snapshot.name).toHaveLength(200);
  expect(snapshot.prompt!.length).toBe(20_000);
  expect(snapshot.prompt!.endsWith('…')).toBe(true);
  expect(snapshot.description).toBeNull();
});

test('the system prompt lists the files that fit in its tokens and counts the others', async () => {
  const tokens = await tokenizer();
  const snapshot = snapshotOf({ name: 'Shop', description: 'A shop', prompt: 'Sell socks', files });
  const prompt = systemPrompt(snapshot, tokens, 1000);
  expect(countTokens(prompt)).toBeLessThanOrEqual(1000);
  const listed = prompt.split('\n').filter((line) => line.startsWith('- '));
  expect(listed.length).toBeGreaterThan(10);
  expect(listed.length).toBeLessThan(200);
  expect(listed[0]).toBe('- src/components/widget-0.tsx (1000 bytes)');
  expect(prompt).toContain('Project: Shop\nDescription: A shop\nThe app the user wants: Sell socks\nFiles (250, path and size in bytes):');
  expect(prompt.endsWith(`… and ${250 - listed.length} more files`)).toBe(true);

  // A long description of the app is cut to fit a small window; without a project, only the intro.
  const long = systemPrompt(snapshotOf({ name: 'Shop', prompt: 'socks '.repeat(3000), files: [] }), tokens, 200);
  expect(countTokens(long)).toBeLessThanOrEqual(200);
  expect(long).toMatch(/The app the user wants: socks socks .*…/);
  expect(systemPrompt(undefined, tokens, 200)).toMatch(/^You are BuilderAI/);
  expect(systemPrompt(undefined, tokens, 200)).not.toContain('Project');
});

test('text that spells a special token is counted as text', async () => {
  const tokens = await tokenizer();
  expect(tokens.count('a <|endoftext|> b')).toBeGreaterThan(3);
  expect(tokens.truncate('one two three four', 2)).toBe('one two');
});

import { GraphQLError } from 'graphql';
import { copyName, parseConfigInput, parseCreateInput, parseUpdateInput } from '../src/domain/validation.js';

const llms = { allowed: ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet'], default: 'gpt-4o-mini' };
const SERVER = '0b8d6c2e-7f3a-4a51-9c1e-2d4f6a8b0c1d';

function badField(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return (error as GraphQLError).extensions.field;
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

describe('new project input', () => {
  it('trims the name, clears blank text and takes the default model', () => {
    expect(parseCreateInput({ name: '  Shop  ', description: '  ', prompt: ' Build a shop ' }, llms)).toEqual({
      name: 'Shop',
      description: null,
      prompt: 'Build a shop',
      llm: 'gpt-4o-mini',
      config: {},
    });
  });

  it('limits name to 1-100, description to 2000 and prompt to 20000 characters (not UTF-16 units)', () => {
    expect(parseCreateInput({ name: '😀'.repeat(100) }, llms).name).toHaveLength(200);
    expect(badField(() => parseCreateInput({ name: 'x'.repeat(101) }, llms))).toBe('name');
    expect(badField(() => parseCreateInput({ name: '   ' }, llms))).toBe('name');
    expect(parseCreateInput({ name: 'a', description: 'x'.repeat(2000) }, llms).description).toHaveLength(2000);
    expect(badField(() => parseCreateInput({ name: 'a', description: 'x'.repeat(2001) }, llms))).toBe('description');
    expect(parseCreateInput({ name: 'a', prompt: 'x'.repeat(20_000) }, llms).prompt).toHaveLength(20_000);
    expect(badField(() => parseCreateInput({ name: 'a', prompt: 'x'.repeat(20_001) }, llms))).toBe('prompt');
  });

  it('takes only the allowed models', () => {
    expect(parseCreateInput({ name: 'a', llm: ' claude-sonnet ' }, llms).llm).toBe('claude-sonnet');
    for (const llm of ['gpt-5', 'GPT-4O', '']) expect(badField(() => parseCreateInput({ name: 'a', llm }, llms))).toBe('llm');
  });
});

describe('project update input', () => {
  it('keeps omitted fields and clears description or prompt with null', () => {
    expect(parseUpdateInput({}, llms)).toEqual({});
    expect(parseUpdateInput({ description: null, prompt: '' }, llms)).toEqual({ description: null, prompt: null });
  });

  it('refuses to clear the name or the model', () => {
    expect(badField(() => parseUpdateInput({ name: null }, llms))).toBe('name');
    expect(badField(() => parseUpdateInput({ llm: null }, llms))).toBe('llm');
  });
});

describe('project config input', () => {
  it('keeps omitted and null parts', () => {
    expect(parseConfigInput({})).toEqual({});
    expect(parseConfigInput({ mcpServerIds: null, settings: null })).toEqual({});
    expect(parseConfigInput({ mcpServerIds: [] })).toEqual({ mcpServerIds: [] });
  });

  it('takes up to 50 distinct MCP server ids, stored lowercase', () => {
    expect(parseConfigInput({ mcpServerIds: [SERVER.toUpperCase(), SERVER] })).toEqual({ mcpServerIds: [SERVER] });
    const fifty = Array.from({ length: 50 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect(parseConfigInput({ mcpServerIds: fifty }).mcpServerIds).toHaveLength(50);
    expect(badField(() => parseConfigInput({ mcpServerIds: [...fifty, SERVER] }))).toBe('mcpServerIds');
    expect(badField(() => parseConfigInput({ mcpServerIds: ['not-a-uuid'] }))).toBe('mcpServerIds');
  });

  it('takes settings as a JSON object of at most 16 KB', () => {
    expect(parseConfigInput({ settings: { theme: { primary: '#000' } } })).toEqual({ settings: { theme: { primary: '#000' } } });
    for (const settings of [[1], 'dark', 3, true]) expect(badField(() => parseConfigInput({ settings }))).toBe('settings');
    expect(badField(() => parseConfigInput({ settings: { blob: 'x'.repeat(16_384) } }))).toBe('settings');
  });
});

describe('names of copies', () => {
  it('marks a copy and keeps it within 100 characters', () => {
    expect(copyName('Shop')).toBe('Shop (copy)');
    const long = copyName('x'.repeat(100));
    expect(long).toHaveLength(100);
    expect(long.endsWith(' (copy)')).toBe(true);
  });
});

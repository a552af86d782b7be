// The tools the model may call on its project's files, as OpenAI function definitions. Paths are
// relative to the project ("index.html", "src/app.js"); the project itself is the conversation's
// and no tool can name another.
import type { ToolDefinition } from '../completion.js';

const path = { type: 'string', description: 'The file\'s path inside the project, e.g. "index.html" or "src/app.js".' };

const tool = (name: string, description: string, properties: Record<string, unknown> = {}, required: string[] = []): ToolDefinition => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, required, additionalProperties: false } },
});

export const TOOL_NAMES = ['list_files', 'read_file', 'write_file', 'apply_edit', 'delete_file', 'rename_file'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const FILE_TOOLS: ToolDefinition[] = [
  tool('list_files', "Lists the project's files with their sizes in bytes."),
  tool(
    'read_file',
    'Reads a text file, whole or a range of its lines (1-based, inclusive). Long files are cut; the answer says which lines it holds.',
    { path, start_line: { type: 'integer', minimum: 1 }, end_line: { type: 'integer', minimum: 1 } },
    ['path'],
  ),
  tool(
    'write_file',
    'Creates a text file or replaces its whole content. To change part of an existing file, use apply_edit: it costs far less.',
    { path, content: { type: 'string', description: 'The whole new content.' } },
    ['path', 'content'],
  ),
  tool(
    'apply_edit',
    'Changes part of a text file with search/replace blocks, applied in order. Each search must be copied exactly from the file (whitespace included) and match exactly once: add surrounding lines to make it unique. If one block fails, none is applied and the error shows the nearest text.',
    {
      path,
      edits: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: { search: { type: 'string', description: 'Exact text of the file to replace.' }, replace: { type: 'string', description: 'The text to put in its place.' } },
          required: ['search', 'replace'],
          additionalProperties: false,
        },
      },
    },
    ['path', 'edits'],
  ),
  tool('delete_file', 'Deletes a file.', { path }, ['path']),
  tool('rename_file', 'Moves a text file to a new path (which must not exist yet).', { from: path, to: path }, ['from', 'to']),
];

/** What the system prompt says about working with the tools. */
export const TOOLS_GUIDE = [
  'You change the project only through your tools; the user sees the files you write in a live preview (index.html is the start page).',
  'Read a file before changing it. To change part of a file, use apply_edit with a search text copied exactly from the file; use write_file for new files or to rewrite most of one.',
  'When the work is done, answer the user in a few sentences saying what you changed.',
].join(' ');

// Carries out one call of the model on the turn's workspace: checks its arguments, does it and
// says what happened in words the model reads. Whatever the model sends, a call ends in a result
// or a readable error; nothing it writes can throw past here.
import { applyEdits, describeEditError } from './apply-edit.js';
import { TOOL_NAMES, type ToolName } from './definitions.js';
import { ProjectFilesError } from './project-files.js';
import { checkedPath, ToolError, type TurnWorkspace } from './workspace.js';

/** A read returns at most this much, so one call cannot fill the model's window. */
export const READ_MAX_LINES = 2000;
export const READ_MAX_CHARS = 100_000;
const LIST_MAX_FILES = 1000;

export type ToolOutcome = { ok: true; result: string } | { ok: false; error: string };

type Args = Record<string, unknown>;

function parseArguments(raw: string): Args {
  let parsed: unknown;
  try {
    parsed = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    throw new ToolError('The arguments are not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ToolError('The arguments must be a JSON object');
  return parsed as Args;
}

function text(args: Args, name: string): string {
  const value = args[name];
  if (typeof value !== 'string') throw new ToolError(`${name} must be a string`);
  return value;
}

function lineNumber(args: Args, name: string): number | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ToolError(`${name} must be a whole number from 1`);
  return value;
}

/** The lines asked for, cut to the read limits, with a first line saying which they are. */
export function linesOf(path: string, content: string, start = 1, end?: number): string {
  const lines = content.split('\n');
  if (content.endsWith('\n')) lines.pop();
  const total = lines.length;
  if (total === 0) return `${path} is empty.`;
  if (start > total) throw new ToolError(`${path} has ${total} lines; start_line ${start} is past its end`);
  let last = Math.min(end ?? total, total, start + READ_MAX_LINES - 1);
  if (last < start) throw new ToolError('end_line must not be before start_line');
  let body = lines.slice(start - 1, last).join('\n');
  if (body.length > READ_MAX_CHARS) {
    body = body.slice(0, READ_MAX_CHARS);
    body = body.slice(0, Math.max(body.lastIndexOf('\n'), 0));
    last = start + body.split('\n').length - 1;
  }
  const whole = start === 1 && last === total;
  const more = last < total ? `; read on with start_line ${last + 1}` : '';
  return `${whole ? `${path} (${total} lines)` : `${path}, lines ${start}-${last} of ${total}${more}`}:\n${body}`;
}

const run: Record<ToolName, (workspace: TurnWorkspace, args: Args) => Promise<string>> = {
  async list_files(workspace) {
    const files = await workspace.list();
    if (files.length === 0) return 'The project has no files yet.';
    const shown = files.slice(0, LIST_MAX_FILES).map((file) => `${file.path} (${file.size} bytes)`);
    if (files.length > LIST_MAX_FILES) shown.push(`… and ${files.length - LIST_MAX_FILES} more`);
    return shown.join('\n');
  },
  async read_file(workspace, args) {
    const path = checkedPath(args.path);
    return linesOf(path, await workspace.read(path), lineNumber(args, 'start_line'), lineNumber(args, 'end_line'));
  },
  async write_file(workspace, args) {
    const path = checkedPath(args.path);
    const content = text(args, 'content');
    const how = await workspace.write(path, content);
    return `${how === 'created' ? 'Created' : 'Replaced'} ${path} (${Buffer.byteLength(content, 'utf8')} bytes).`;
  },
  async apply_edit(workspace, args) {
    const path = checkedPath(args.path);
    if (!Array.isArray(args.edits) || args.edits.length === 0) throw new ToolError('edits must be a list of {search, replace} blocks');
    const outcome = applyEdits(await workspace.read(path), args.edits);
    if (!outcome.ok) throw new ToolError(describeEditError(outcome.error));
    await workspace.write(path, outcome.text);
    return `Applied ${outcome.applied} edit${outcome.applied === 1 ? '' : 's'} to ${path}.`;
  },
  async delete_file(workspace, args) {
    const path = checkedPath(args.path);
    await workspace.delete(path);
    return `Deleted ${path}.`;
  },
  async rename_file(workspace, args) {
    const from = checkedPath(args.from, 'from');
    const to = checkedPath(args.to, 'to');
    await workspace.rename(from, to);
    return `Renamed ${from} to ${to}.`;
  },
};

const isToolName = (name: string): name is ToolName => (TOOL_NAMES as readonly string[]).includes(name);

/** Runs the call; a ToolError becomes the outcome's error, anything else (the platform failing) is thrown. */
export async function runTool(workspace: TurnWorkspace, name: string, rawArguments: string): Promise<ToolOutcome> {
  try {
    if (!isToolName(name)) throw new ToolError(`There is no tool ${name}; the tools are ${TOOL_NAMES.join(', ')}`);
    return { ok: true, result: await run[name](workspace, parseArguments(rawArguments)) };
  } catch (error) {
    if (error instanceof ToolError) return { ok: false, error: error.message };
    // The files service's own refusal of an argument (a path it will not take) is the model's to fix.
    if (error instanceof ProjectFilesError && error.code === 'BAD_USER_INPUT') return { ok: false, error: error.message };
    throw error;
  }
}

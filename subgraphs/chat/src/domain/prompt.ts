// What the model is told before the conversation: who it is, and the project it works on (its
// name, the user's description of the app, and its files as paths and sizes, never contents: the
// model reads what it needs with its tools).
import { SNAPSHOT_LIMITS, type ProjectSnapshot } from '../events.js';
import { TOOLS_GUIDE } from './tools/definitions.js';
import type { Tokenizer } from './tokens.js';

const INTRO = `You are BuilderAI, an assistant that builds web applications with its user. Answer clearly and concisely. ${TOOLS_GUIDE}`;

export interface ProjectFields {
  name: string;
  description?: string | null;
  prompt?: string | null;
  files: Array<{ path: string; size: number }>;
  config?: { mcpServerIds: string[] } | null;
}

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The project as a job carries it: bounded, whatever the project holds. */
export function snapshotOf(project: ProjectFields): ProjectSnapshot {
  const { files } = project;
  return {
    name: cut(project.name, SNAPSHOT_LIMITS.name),
    description: project.description ? cut(project.description, SNAPSHOT_LIMITS.text) : null,
    prompt: project.prompt ? cut(project.prompt, SNAPSHOT_LIMITS.text) : null,
    files: files.slice(0, SNAPSHOT_LIMITS.files).map(({ path, size }) => ({ path: cut(path, SNAPSHOT_LIMITS.path), size })),
    moreFiles: Math.max(0, files.length - SNAPSHOT_LIMITS.files),
    mcpServerIds: project.config?.mcpServerIds ?? [],
  };
}

/**
 * The system prompt, in at most `maxTokens` (the project's texts are cut, then files left out
 * and counted, to fit a small window).
 */
export function systemPrompt(project: ProjectSnapshot | undefined, tokens: Tokenizer, maxTokens: number): string {
  if (!project) return INTRO;
  let left = maxTokens - tokens.count(INTRO);
  const lines = [INTRO, ''];
  const add = (line: string, cutToFit = false) => {
    const cost = tokens.count(line) + 1; // and its newline
    if (cost <= left) {
      lines.push(line);
      left -= cost;
      return true;
    }
    if (!cutToFit || left < 16) return false;
    const start = tokens.truncate(line, left - 2);
    lines.push(`${start}…`);
    left = 0;
    return true;
  };
  add(`Project: ${project.name}`, true);
  if (project.description) add(`Description: ${project.description}`, true);
  if (project.prompt) add(`The app the user wants: ${project.prompt}`, true);
  const total = project.files.length + project.moreFiles;
  if (total === 0) add('Files: none yet.');
  else if (add(`Files (${total}, path and size in bytes):`)) {
    // Room is kept for the line that says how many are not listed.
    left -= 12;
    let listed = 0;
    for (const file of project.files) {
      if (!add(`- ${file.path} (${file.size} bytes)`)) break;
      listed += 1;
    }
    left += 12;
    if (listed < total) add(`… and ${total - listed} more files`);
  }
  return lines.join('\n');
}

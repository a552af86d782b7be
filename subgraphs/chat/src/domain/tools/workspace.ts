// A turn's view of the project's files: what the files service holds, with the turn's own
// changes on top. Changes stay here until the answer is complete and are then committed as one
// checkpoint (all or nothing); an answer that fails or is stopped changes no file. Each change
// remembers the version it was made on, so a file the user changed meanwhile is not overwritten.
import { parseFilePath } from '@builderai/files/paths';
import { TEXT_EXTENSIONS, textTypeOf } from '@builderai/files/text-paths';
import type { FileChange, ProjectFileEntry, ProjectFiles } from './project-files.js';

export interface WorkspaceLimits {
  /** Bytes of one file's text. */
  fileMaxBytes: number;
  /** Bytes of all the texts a turn writes (they travel to the files service in one request). */
  turnMaxBytes: number;
}

/** A refusal the model can act on; its message goes back to the model as the tool's error. */
export class ToolError extends Error {
  override name = 'ToolError';
}

type Change = { text: string } | { deleted: true };
interface Known {
  size: number;
  checksum: string;
}

const bytesOf = (text: string) => Buffer.byteLength(text, 'utf8');

/** The normalised path, or a ToolError saying what is wrong with it. */
export function checkedPath(raw: unknown, argument = 'path'): string {
  if (typeof raw !== 'string') throw new ToolError(`${argument} must be a string`);
  const parsed = parseFilePath(raw);
  if ('problem' in parsed) throw new ToolError(`The ${argument} "${raw.slice(0, 300)}" ${parsed.problem}`);
  return parsed.path;
}

export class TurnWorkspace {
  private base: Map<string, Known> | undefined;
  private readonly texts = new Map<string, string | null>();
  private readonly changes = new Map<string, Change>();

  constructor(
    private readonly files: ProjectFiles,
    private readonly limits: WorkspaceLimits,
  ) {}

  private async known(): Promise<Map<string, Known>> {
    if (!this.base) {
      const entries = await this.files.list();
      this.base = new Map(entries.map((entry) => [entry.path, { size: entry.size, checksum: entry.checksum ?? '' }]));
    }
    return this.base;
  }

  /** The files as the turn sees them, by path. */
  async list(): Promise<ProjectFileEntry[]> {
    const files = new Map<string, ProjectFileEntry>([...(await this.known())].map(([path, known]) => [path, { path, size: known.size, checksum: known.checksum }]));
    for (const [path, change] of this.changes) {
      if ('deleted' in change) files.delete(path);
      else files.set(path, { path, size: bytesOf(change.text), checksum: null });
    }
    return [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
  }

  async exists(path: string): Promise<boolean> {
    const change = this.changes.get(path);
    if (change) return !('deleted' in change);
    return (await this.known()).has(path);
  }

  /** The file's text; ToolError when there is none or it is not text. */
  async read(path: string): Promise<string> {
    const change = this.changes.get(path);
    if (change) {
      if ('deleted' in change) throw new ToolError(`There is no file ${path} (it was deleted in this turn)`);
      return change.text;
    }
    if (!this.texts.has(path)) {
      const file = await this.files.read(path);
      const known = await this.known();
      if (!file) {
        known.delete(path);
        throw new ToolError(`There is no file ${path}; list_files shows the project's files`);
      }
      // The version read is the one the turn's changes to it are made on.
      known.set(path, { size: file.size, checksum: file.checksum ?? '' });
      this.texts.set(path, file.text);
    }
    const text = this.texts.get(path);
    if (text == null) throw new ToolError(`${path} is not a text file (or too large to read as text)`);
    return text;
  }

  async write(path: string, text: string): Promise<'created' | 'replaced'> {
    if (!textTypeOf(path)) throw new ToolError(`Only text files can be written: the path must end in one of ${TEXT_EXTENSIONS}`);
    const size = bytesOf(text);
    if (size > this.limits.fileMaxBytes) throw new ToolError(`${path} would be ${size} bytes; a file may have at most ${this.limits.fileMaxBytes}. Split it into smaller files`);
    const left = this.limits.turnMaxBytes - this.writtenBytes(path);
    if (size > left) throw new ToolError(`This answer has written as much as one answer may (${this.limits.turnMaxBytes} bytes); finish this answer, the user can ask for the rest next`);
    const existed = await this.exists(path);
    this.changes.set(path, { text });
    return existed ? 'replaced' : 'created';
  }

  async delete(path: string): Promise<void> {
    if (!(await this.exists(path))) throw new ToolError(`There is no file ${path}`);
    this.changes.set(path, { deleted: true });
  }

  async rename(from: string, to: string): Promise<void> {
    if (from === to) throw new ToolError('from and to are the same path');
    if (await this.exists(to)) throw new ToolError(`${to} exists already; delete it first if it should be replaced`);
    const text = await this.read(from);
    await this.write(to, text);
    this.changes.set(from, { deleted: true });
  }

  /** Bytes written so far in this turn, leaving out `except` (about to be written again). */
  private writtenBytes(except?: string): number {
    let total = 0;
    for (const [path, change] of this.changes) if (path !== except && 'text' in change) total += bytesOf(change.text);
    return total;
  }

  /** What the turn changed, with the version each change was made on; files left as they were are left out. */
  async changeSet(): Promise<FileChange[]> {
    // An answer that changed nothing asks the files service nothing.
    if (this.changes.size === 0) return [];
    const known = await this.known();
    const changes: FileChange[] = [];
    for (const [path, change] of this.changes) {
      const before = known.get(path);
      if ('deleted' in change) {
        if (before) changes.push({ path, text: null, ifChecksum: before.checksum });
        continue;
      }
      if (before && this.texts.get(path) === change.text) continue;
      changes.push({ path, text: change.text, ifChecksum: before?.checksum ?? '' });
    }
    return changes;
  }
}

// A file's path inside its project, as clients name it ("assets/app.js"). Paths become URLs of
// the preview and names in downloads, never object keys, but must still never climb out of
// the project or smuggle characters a file system or a header would misread.
import { badUserInput } from '@builderai/kit';

export const PATH_MAX_LENGTH = 255;

export interface FilePath {
  /** Normalised POSIX path, e.g. "assets/logo.png". */
  path: string;
  /** Its last segment, e.g. "logo.png". */
  name: string;
}

// C0 controls, DEL and C1 controls.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const WINDOWS_DRIVE = /^[a-zA-Z]:/;

/** Why a client's file name is not acceptable, or the normalised path and name. */
export function parseFilePath(raw: string): FilePath | { problem: string } {
  if (CONTROL_CHARACTERS.test(raw)) return { problem: 'must not contain control characters' };
  if (raw.includes('\\')) return { problem: 'must use "/" between segments, not backslashes' };
  let path = raw.trim().normalize('NFC');
  if (path === '') return { problem: 'must name a file' };
  if (path.startsWith('/') || WINDOWS_DRIVE.test(path)) return { problem: 'must be relative to the project' };
  // "./a/./b" is a harmless spelling of "a/b".
  const segments = path.split('/').filter((segment) => segment !== '.');
  if (segments.length === 0) return { problem: 'must name a file' };
  if (segments.some((segment) => segment === '..')) return { problem: 'must not contain ".." segments' };
  if (segments.some((segment) => segment === '')) return { problem: 'must not contain empty segments' };
  path = segments.join('/');
  if (path.length > PATH_MAX_LENGTH) return { problem: `must be at most ${PATH_MAX_LENGTH} characters long` };
  return { path, name: segments[segments.length - 1]! };
}

/** The normalised path of a client's file name; BAD_USER_INPUT on `name` when it is not acceptable. */
export function normalizeFilePath(raw: string): FilePath {
  const parsed = parseFilePath(raw);
  if ('problem' in parsed) throw badUserInput(`The file name ${parsed.problem}`, 'name');
  return parsed;
}

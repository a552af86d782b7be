// The kind of a project file, from its content type: what the generated app uses it for.
export type ProjectFileType = 'html' | 'image' | 'script' | 'style' | 'other';

const SCRIPT_TYPES = new Set([
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/typescript',
  'text/javascript',
  'text/ecmascript',
  'text/typescript',
  'text/jsx',
  'text/tsx',
]);

export function fileTypeOf(contentType: string | null | undefined): ProjectFileType {
  // Parameters (e.g. "; charset=utf-8") and case do not change the kind.
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime.startsWith('image/')) return 'image';
  if (SCRIPT_TYPES.has(mime)) return 'script';
  if (mime === 'text/css') return 'style';
  return 'other';
}

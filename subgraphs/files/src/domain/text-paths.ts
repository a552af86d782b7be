// Which paths hold text a program may write (an editor's save, the AI's tools): the type comes
// from the extension, so a path says what the preview serves it as. Shared with chat, whose
// tools refuse such a path before the files service would.
export const TEXT_TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  json: 'application/json',
  txt: 'text/plain',
  md: 'text/markdown',
  svg: 'image/svg+xml',
};

/** The content type of a text file at `path`, or undefined when its extension is not a text type. */
export function textTypeOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? TEXT_TYPES_BY_EXTENSION[name.slice(dot + 1).toLowerCase()] : undefined;
}

/** "html, htm, css, ..." for messages that say what is accepted. */
export const TEXT_EXTENSIONS = Object.keys(TEXT_TYPES_BY_EXTENSION).join(', ');

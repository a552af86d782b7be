import { Readable } from 'node:stream';
import { inspectContent } from '../src/domain/content-inspection.js';
import { detectKind, matchesDeclaredType, mediaTypeOf, normalizeContentType, servedContentType, sniffMagic } from '../src/domain/content-types.js';

const bytes = (...values: Array<number | string>) =>
  Buffer.concat(values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from([value]))));

describe('magic bytes', () => {
  it.each([
    ['png', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13)],
    ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF')],
    ['gif', bytes('GIF89a', 1, 0, 1, 0)],
    ['gif', bytes('GIF87a', 1, 0, 1, 0)],
    ['webp', bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 ')],
    ['pdf', bytes('%PDF-1.7\n')],
    ['ico', bytes(0, 0, 1, 0, 1, 0, 16, 16)],
  ])('recognises %s', (kind, head) => {
    expect(sniffMagic(head)).toBe(kind);
  });

  it.each([
    ['text', bytes('<!doctype html>')],
    ['a PNG signature cut short', bytes(0x89, 'PNG')],
    ['RIFF that is not WebP', bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt ')],
    ['a cursor (not an icon)', bytes(0, 0, 2, 0, 1, 0)],
    ['an icon directory with no image', bytes(0, 0, 1, 0, 0, 0)],
    ['nothing', bytes()],
  ])('recognises nothing in %s', (_, head) => {
    expect(sniffMagic(head)).toBeUndefined();
  });
});

describe('detected kind', () => {
  it('tells SVG from other text', () => {
    const svg = (text: string) => detectKind(Buffer.from(text), true);
    expect(svg('<svg xmlns="http://www.w3.org/2000/svg"></svg>')).toBe('svg');
    expect(svg('\uFEFF  <?xml version="1.0" encoding="UTF-8"?>\n<svg>')).toBe('svg');
    expect(svg('<?xml version="1.0"?><!-- made by hand --><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>')).toBe('svg');
    expect(svg('<?xml version="1.0"?><html/>')).toBe('text');
    expect(svg('<svgs>')).toBe('text');
    expect(svg('body { color: red }')).toBe('text');
  });

  it('is nothing for bytes that are neither a known format nor text', () => {
    expect(detectKind(bytes(0xde, 0xad, 0xbe, 0xef), false)).toBeUndefined();
  });

  it('matches declared types to their kind; text types accept any text', () => {
    expect(matchesDeclaredType('image/png', 'png')).toBe(true);
    expect(matchesDeclaredType('image/png', 'jpeg')).toBe(false);
    expect(matchesDeclaredType('image/svg+xml', 'svg')).toBe(true);
    expect(matchesDeclaredType('image/svg+xml', 'text')).toBe(false);
    expect(matchesDeclaredType('text/html', 'text')).toBe(true);
    expect(matchesDeclaredType('text/plain', 'svg')).toBe(true);
    expect(matchesDeclaredType('application/json', 'png')).toBe(false);
    expect(matchesDeclaredType('application/pdf', undefined)).toBe(false);
    expect(matchesDeclaredType('application/zip', 'text')).toBe(false);
  });
});

describe('declared types', () => {
  it('normalises case and drops parameters', () => {
    expect(mediaTypeOf('Text/HTML; charset=ISO-8859-1')).toBe('text/html');
    expect(normalizeContentType(' application/javascript ')).toBe('application/javascript');
    expect(normalizeContentType('IMAGE/PNG')).toBe('image/png');
  });

  it.each(['application/zip', 'text/xml', 'image/bmp', 'application/octet-stream', '', 'html'])('refuses %j as BAD_USER_INPUT on contentType', (type) => {
    expect(() => normalizeContentType(type)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'contentType' } }));
  });

  it('serves text (and SVG) as UTF-8', () => {
    expect(servedContentType('text/html')).toBe('text/html; charset=utf-8');
    expect(servedContentType('image/svg+xml')).toBe('image/svg+xml; charset=utf-8');
    expect(servedContentType('image/png')).toBe('image/png');
  });
});

describe('content inspection', () => {
  const inspect = (...chunks: Buffer[]) => inspectContent(Readable.from(chunks));

  it('hashes and measures the whole content', async () => {
    expect(await inspect(Buffer.from('hello '), Buffer.from('world'))).toEqual({
      size: 11,
      sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
      isText: true,
    });
    expect(await inspect()).toEqual({ size: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', isText: true });
  });

  it('takes UTF-8 split across chunks as text', async () => {
    const euro = Buffer.from('€');
    expect((await inspect(euro.subarray(0, 1), euro.subarray(1))).isText).toBe(true);
  });

  it('does not take NUL bytes, invalid UTF-8 or a truncated character as text', async () => {
    expect((await inspect(Buffer.from('a\u0000b'))).isText).toBe(false);
    expect((await inspect(bytes(0xc3, 0x28))).isText).toBe(false);
    expect((await inspect(Buffer.from('ok'), Buffer.from('€').subarray(0, 2))).isText).toBe(false);
  });
});

import { fileTypeOf } from '../src/domain/file-types.js';

describe('project file types', () => {
  it.each([
    ['text/html', 'html'],
    ['text/html; charset=utf-8', 'html'],
    ['image/png', 'image'],
    ['IMAGE/SVG+XML', 'image'],
    ['text/javascript', 'script'],
    ['application/javascript', 'script'],
    ['application/typescript', 'script'],
    ['text/css', 'style'],
    ['application/json', 'other'],
    ['', 'other'],
    [null, 'other'],
  ])('%j is %s', (contentType, type) => {
    expect(fileTypeOf(contentType)).toBe(type);
  });
});

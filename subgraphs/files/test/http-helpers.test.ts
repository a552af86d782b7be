import { attachmentDisposition } from '../src/http/responses.js';
import { parsePreviewPath } from '../src/http/preview-route.js';

describe('Content-Disposition', () => {
  it('carries the UTF-8 name and an ASCII fallback that cannot break the header', () => {
    expect(attachmentDisposition('logo.png')).toBe(`attachment; filename="logo.png"; filename*=UTF-8''logo.png`);
    expect(attachmentDisposition('naïve "quote"\\.txt')).toBe(`attachment; filename="na_ve _quote__.txt"; filename*=UTF-8''na%C3%AFve%20%22quote%22%5C.txt`);
    expect(attachmentDisposition("it's (1)*.md")).toBe(`attachment; filename="it's (1)*.md"; filename*=UTF-8''it%27s%20%281%29%2A.md`);
  });
});

describe('preview paths', () => {
  it('splits project, token and file path', () => {
    expect(parsePreviewPath('/preview/p1/tok/index.html')).toEqual({ projectId: 'p1', token: 'tok', path: 'index.html' });
    expect(parsePreviewPath('/preview/p1/tok/assets/app%20v2.js')).toEqual({ projectId: 'p1', token: 'tok', path: 'assets/app v2.js' });
  });

  it('serves index.html for a directory and asks for the slash at the root', () => {
    expect(parsePreviewPath('/preview/p1/tok/')).toEqual({ projectId: 'p1', token: 'tok', path: 'index.html' });
    expect(parsePreviewPath('/preview/p1/tok/docs/')).toEqual({ projectId: 'p1', token: 'tok', path: 'docs/index.html' });
    expect(parsePreviewPath('/preview/p1/tok')).toEqual({ projectId: 'p1', token: 'tok' });
  });

  it.each(['/preview/p1', '/preview/', '/other/p1/tok/x', '/preview/p1/tok/..%2fsecret', '/preview/p1/tok/%00', '/preview/p1/tok/%E0%A4%A'])(
    'is not a preview path: %s',
    (pathname) => {
      expect(parsePreviewPath(pathname)).toBeNull();
    },
  );
});

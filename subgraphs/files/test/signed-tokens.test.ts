import { createTokenSigner } from '../src/domain/signed-tokens.js';

const secret = 'a'.repeat(64);
const later = (ms: number) => new Date(Date.now() + ms);

describe('signed URL tokens', () => {
  const signer = createTokenSigner(secret);

  it('round-trips the claims of a purpose', () => {
    const claims = { fileId: 'f', key: 'users/u/uploads/f', size: 10, contentType: 'image/png' };
    expect(signer.verify('upload', signer.sign('upload', claims, later(60_000)))).toEqual(claims);
    expect(signer.verify('preview', signer.sign('preview', { projectId: 'p' }, later(60_000)))).toEqual({ projectId: 'p' });
  });

  it('is URL- and path-safe', () => {
    expect(signer.sign('download', { fileId: 'é/?#' }, later(60_000))).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('refuses an expired token', () => {
    const token = signer.sign('download', { fileId: 'f' }, later(1_000));
    expect(signer.verify('download', token)).toEqual({ fileId: 'f' });
    expect(() => signer.verify('download', token, later(1_001))).toThrow('token expired');
  });

  it('refuses a token of another purpose', () => {
    const token = signer.sign('download', { fileId: 'f' }, later(60_000));
    expect(() => signer.verify('preview', token)).toThrow('not a preview token');
  });

  it('refuses changed claims, a changed signature and another secret', () => {
    const token = signer.sign('download', { fileId: 'f' }, later(60_000));
    const [body, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ p: 'download', exp: Date.now() + 60_000, c: { fileId: 'g' } })).toString('base64url');
    expect(() => signer.verify('download', `${forged}.${signature}`)).toThrow('bad token signature');
    expect(() => signer.verify('download', `${body}.${signature!.slice(0, -4)}AAAA`)).toThrow('bad token signature');
    expect(() => createTokenSigner('b'.repeat(64)).verify('download', token)).toThrow('bad token signature');
  });

  it.each([undefined, null, '', 'x', 'a.b.c', '.sig'])('refuses the malformed token %j', (token) => {
    expect(() => signer.verify('download', token)).toThrow();
  });
});

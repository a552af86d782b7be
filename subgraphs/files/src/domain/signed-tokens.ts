// Short-lived capabilities carried in URLs (uploads, downloads, previews): the claims and an
// expiry, signed with HMAC-SHA256. A token names its purpose, so one minted for a download
// never opens a preview or an upload.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  upload: { fileId: string; key: string; size: number; contentType: string };
  download: { fileId: string };
  preview: { projectId: string };
}
export type TokenPurpose = keyof TokenClaims;

export class TokenError extends Error {
  override name = 'TokenError';
}

export interface TokenSigner {
  sign<P extends TokenPurpose>(purpose: P, claims: TokenClaims[P], expiresAt: Date): string;
  /** The claims of a valid, unexpired token of this purpose; throws TokenError otherwise. */
  verify<P extends TokenPurpose>(purpose: P, token: string | null | undefined, now?: Date): TokenClaims[P];
}

interface Signed {
  /** Purpose. */
  p: TokenPurpose;
  /** Expiry, in milliseconds since the epoch. */
  exp: number;
  c: unknown;
}

const encode = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Keyed by FILES_URL_SECRET, shared by the service's instances so each accepts the others' URLs. */
export function createTokenSigner(secret: string): TokenSigner {
  const key = createHmac('sha256', secret).update('builderai files: signed URL tokens').digest();
  const mac = (body: string) => createHmac('sha256', key).update(body).digest();

  return {
    sign(purpose, claims, expiresAt) {
      const signed: Signed = { p: purpose, exp: expiresAt.getTime(), c: claims };
      const body = encode(JSON.stringify(signed));
      return `${body}.${encode(mac(body))}`;
    },

    verify(purpose, token, now = new Date()) {
      const [body, signature, extra] = (token ?? '').split('.');
      if (!body || !signature || extra !== undefined) throw new TokenError('malformed token');
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError('bad token signature');
      const signed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Signed;
      if (signed.p !== purpose) throw new TokenError(`not a ${purpose} token`);
      if (!(signed.exp > now.getTime())) throw new TokenError('token expired');
      return signed.c as TokenClaims[typeof purpose];
    },
  };
}

// The Ed25519 keys that sign access tokens: either the one key of AUTH_SIGNING_KEY (PKCS8 PEM),
// or the newest active row of signing_keys, created when there is none.
// To rotate stored keys, set retired_at on the active row: within KEY_RECHECK_MS every instance
// signs with a new key, and the retired one stays in the JWKS until the tokens it signed expire.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import type { PrismaClient } from '../generated/prisma/client.ts';

export const SIGNING_ALGORITHM = 'EdDSA';
const KEY_RECHECK_MS = 60_000;

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

export interface PublicJwk extends JWK {
  kid: string;
  alg: string;
  use: 'sig';
}

export interface KeyRing {
  /** The key new tokens are signed with. */
  signingKey(): Promise<SigningKey>;
  /** The public keys that valid tokens may name. */
  publicKeys(): Promise<PublicJwk[]>;
}

const publicJwk = (jwk: JWK, kid: string): PublicJwk => ({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid, alg: SIGNING_ALGORITHM, use: 'sig' });

/** A fresh key pair as JWKs, named by the RFC 7638 thumbprint of its public half. */
export async function generateSigningJwks(): Promise<{ kid: string; publicJwk: PublicJwk; privateJwk: JWK }> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk(privateJwk, ''));
  return { kid, publicJwk: publicJwk(privateJwk, kid), privateJwk };
}

/** The one key given in the environment; nothing is stored. */
export async function keyRingFromPem(pem: string): Promise<KeyRing> {
  const privateKey = await importPKCS8(pem, SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  if (jwk.crv !== 'Ed25519') throw new Error('AUTH_SIGNING_KEY must be an Ed25519 key');
  const key = { kid: await calculateJwkThumbprint(publicJwk(jwk, '')), privateKey };
  const keys = [publicJwk(jwk, key.kid)];
  return { signingKey: async () => key, publicKeys: async () => keys };
}

async function activeKeyRow(prisma: PrismaClient) {
  const newestActive = { where: { retiredAt: null }, orderBy: { createdAt: 'desc' as const } };
  const active = await prisma.signingKey.findFirst(newestActive);
  if (active) return active;
  return prisma.$transaction(async (tx) => {
    // Two instances starting at once must not create two keys: the first takes the lock.
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('auth.signing_keys'))`);
    const created = await tx.signingKey.findFirst(newestActive);
    if (created) return created;
    const fresh = await generateSigningJwks();
    return tx.signingKey.create({ data: { kid: fresh.kid, publicJwk: { ...fresh.publicJwk }, privateJwk: { ...fresh.privateJwk } } });
  });
}

/** Keys stored in signing_keys; `accessTokenTtlMs` is how long a retired key must stay public. */
export async function keyRingFromDatabase(prisma: PrismaClient, accessTokenTtlMs: number): Promise<KeyRing> {
  let cached: { key: SigningKey; checkedAt: number } | undefined;

  const signingKey = async () => {
    if (cached && Date.now() - cached.checkedAt < KEY_RECHECK_MS) return cached.key;
    const row = await activeKeyRow(prisma);
    const key =
      cached?.key.kid === row.kid ? cached.key : { kid: row.kid, privateKey: (await importJWK(row.privateJwk as JWK, SIGNING_ALGORITHM)) as CryptoKey };
    cached = { key, checkedAt: Date.now() };
    return key;
  };
  await signingKey();

  // An instance may sign with a just-retired key until its next recheck.
  const retiredGraceMs = accessTokenTtlMs + KEY_RECHECK_MS;
  return {
    signingKey,
    async publicKeys() {
      const rows = await prisma.signingKey.findMany({
        where: { OR: [{ retiredAt: null }, { retiredAt: { gt: new Date(Date.now() - retiredGraceMs) } }] },
        orderBy: { createdAt: 'desc' },
        select: { kid: true, publicJwk: true },
      });
      return rows.map((row) => publicJwk(row.publicJwk as JWK, row.kid));
    },
  };
}

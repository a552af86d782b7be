// Stands in for the auth service: a fresh EdDSA key pair, its JWKS served over HTTP (the router
// fetches it from AUTH_JWKS_URL as it does from auth), and one access token shaped like auth's.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export interface TokenIssuer {
  jwksUrl: string;
  token: string;
  /** Tokens of as many other users, each with a session of their own. */
  userTokens: string[];
  close(): Promise<void>;
}

export async function startTokenIssuer(users = 0): Promise<TokenIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA');
  const kid = 'bench';
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }] });
  // A user and session of its own per run, so rate-limit keys never meet another run's.
  const issue = () =>
    new SignJWT({ sid: randomUUID(), roles: [] })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setSubject(`bench-${randomUUID()}`)
      .setIssuer('builderai-auth')
      .setAudience('builderai')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
  const token = await issue();
  const userTokens = await Promise.all(Array.from({ length: users }, issue));

  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    token,
    userTokens,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

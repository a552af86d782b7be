import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import type { Configuration } from 'oidc-provider';

// A real OpenID Provider on 127.0.0.1 (oidc-provider, certified): discovery, JWKS, authorization
// code with PKCE, ID tokens, userinfo, and its development login and consent pages, which
// accept any login name as the account. Tests can have the next ID tokens altered and signed
// again with the provider's own key, as a provider with a broken clock or a forger would.

export interface OidcAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface OidcProviderOptions {
  clientId?: string;
  clientSecret?: string;
  /** Where the provider may send browsers back to (the relying party's redirect URIs). */
  redirectUris: string[];
  /** Claims per login name; any other login is `<login>@example.test`, verified. */
  accounts?: Record<string, OidcAccount>;
}

export interface RunningOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Sets what a login's claims are from now on. */
  setAccount(login: string, account: OidcAccount): void;
  /** Alters the ID tokens of the next token responses (signed again with the provider's key); null stops. */
  alterIdTokens(alter: ((claims: JWTPayload) => JWTPayload) | null): void;
  /** Token endpoint requests so far. */
  readonly tokenRequests: number;
  close(): Promise<void>;
}

export async function startOidcProvider(options: OidcProviderOptions): Promise<RunningOidcProvider> {
  const clientId = options.clientId ?? 'builderai-test';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk = { ...(await exportJWK(privateKey)), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };

  let handler: http.RequestListener = (_request, response) => response.writeHead(503).end();
  let alter: ((claims: JWTPayload) => JWTPayload) | null = null;
  let tokenRequests = 0;
  const listener = http.createServer((request, response) => {
    if (request.url?.startsWith('/token')) {
      tokenRequests++;
      if (alter) rewriteIdToken(response, alter, privateKey);
    }
    handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub) ?? { email: `${sub}@example.test`, email_verified: true, name: sub };
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    jwks: { keys: [signingJwk as never] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 60, IdToken: 600, AccessToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  };
  // Loaded here, not with the testkit: only the suites that run a provider pay for it.
  const provider = await quietly(async () => {
    const { default: Provider } = await import('oidc-provider');
    return new Provider(issuer, configuration);
  });
  handler = provider.callback() as http.RequestListener;

  return {
    issuer,
    clientId,
    clientSecret,
    setAccount: (login, account) => accounts.set(login, account),
    alterIdTokens: (next) => {
      alter = next;
    },
    get tokenRequests() {
      return tokenRequests;
    },
    async close() {
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      listener.closeAllConnections();
      await closed;
    },
  };
}

/** Its warnings about the runtime and development-only features: those are what a test provider is for. */
async function quietly<T>(build: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('oidc-provider WARNING')) warn(...args);
  };
  try {
    return await build();
  } finally {
    console.warn = warn;
  }
}

/** Holds the token response back, alters its ID token and signs it again, then sends it. */
function rewriteIdToken(response: http.ServerResponse, alter: (claims: JWTPayload) => JWTPayload, key: CryptoKey): void {
  const chunks: Buffer[] = [];
  const end = response.end.bind(response);
  response.write = ((chunk: Buffer | string) => {
    chunks.push(Buffer.from(chunk));
    return true;
  }) as typeof response.write;
  response.end = ((chunk?: Buffer | string) => {
    if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
    void (async () => {
      let body = Buffer.concat(chunks);
      try {
        const answer = JSON.parse(body.toString('utf8')) as { id_token?: string };
        if (answer.id_token) {
          const claims = alter(decodeJwt(answer.id_token));
          answer.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-signing-key' }).sign(key);
          body = Buffer.from(JSON.stringify(answer));
        }
      } catch {
        // Not JSON (an error page): sent as it was.
      }
      if (!response.headersSent) response.setHeader('content-length', body.length);
      end(body);
    })();
    return response;
  }) as typeof response.end;
}

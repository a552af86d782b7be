import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

// A local server speaking GitHub's OAuth web flow and the two API calls a sign-in makes, as
// GitHub does them: /login/oauth/authorize (approved at once for the current user),
// /login/oauth/access_token (checking the client, the code, the redirect URI and PKCE; errors
// come back as 200 with an `error` field, like GitHub's), GET /user and GET /user/emails.

export interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  emails: Array<{ email: string; primary: boolean; verified: boolean }>;
}

export interface GitHubLikeServer {
  /** Both GITHUB_URL and GITHUB_API_URL. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Who the next authorizations are for. */
  setUser(user: GitHubUser): void;
  close(): Promise<void>;
}

interface PendingCode {
  user: GitHubUser;
  redirectUri: string;
  challenge: string | null;
}

const json = (response: http.ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
};

async function formBody(request: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startGitHubLikeServer(options: { redirectUris: string[] }): Promise<GitHubLikeServer> {
  const clientId = `Iv1.${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(20).toString('hex');
  let current: GitHubUser = { id: 1, login: 'octocat', name: 'The Octocat', emails: [{ email: 'octocat@example.test', primary: true, verified: true }] };
  const codes = new Map<string, PendingCode>();
  const tokens = new Map<string, GitHubUser>();

  const listener = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://github.local');
    if (url.pathname === '/login/oauth/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== clientId || !options.redirectUris.includes(redirectUri)) return json(response, 400, { error: 'redirect_uri_mismatch' });
      const code = randomBytes(10).toString('hex');
      codes.set(code, { user: current, redirectUri, challenge: url.searchParams.get('code_challenge') });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      if (url.searchParams.has('state')) back.searchParams.set('state', url.searchParams.get('state')!);
      return response.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === '/login/oauth/access_token' && request.method === 'POST') {
      const form = await formBody(request);
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return json(response, 200, { error: 'incorrect_client_credentials' });
      const pending = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier');
      const challengeFits = !pending?.challenge || (verifier && createHash('sha256').update(verifier).digest('base64url') === pending.challenge);
      if (!pending || pending.redirectUri !== form.get('redirect_uri') || !challengeFits) return json(response, 200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
      const token = `gho_${randomBytes(18).toString('hex')}`;
      tokens.set(token, pending.user);
      return json(response, 200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const user = tokens.get((request.headers.authorization ?? '').replace(/^Bearer /i, ''));
    if (url.pathname === '/user' || url.pathname === '/user/emails') {
      if (!user) return json(response, 401, { message: 'Requires authentication' });
      if (url.pathname === '/user') return json(response, 200, { id: user.id, login: user.login, name: user.name });
      return json(response, 200, user.emails.map((entry) => ({ ...entry, visibility: entry.primary ? 'private' : null })));
    }
    json(response, 404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`,
    clientId,
    clientSecret,
    setUser: (user) => {
      current = user;
    },
    async close() {
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      listener.closeAllConnections();
      await closed;
    },
  };
}

// A user's browser at an OpenID Provider's development pages: follows redirects with the
// provider's cookies, signs in with a login name, consents, and stops at the redirect back to
// the relying party (not fetched: that is the app's page), which it returns.

export interface BrowserSignIn {
  /** The provider's redirect back to the relying party: its redirect URI with code, state and iss (or an error). */
  redirect: URL;
}

function formOf(html: string): { action: string; fields: Record<string, string> } | null {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input([^>]*)>/gi)) {
    const name = /name="([^"]+)"/.exec(input[1]!)?.[1];
    if (name) fields[name] = /value="([^"]*)"/.exec(input[1]!)?.[1] ?? '';
  }
  return { action: form[1]!.replace(/&amp;/g, '&'), fields };
}

export async function signInAtProvider(authorizationUrl: string | URL, login: string): Promise<BrowserSignIn> {
  const start = new URL(authorizationUrl);
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  let next: { url: URL; init: RequestInit } = { url: start, init: {} };
  for (let step = 0; step < 20; step++) {
    const response = await fetch(next.url, { ...next.init, redirect: 'manual', headers: { ...(next.init.headers as Record<string, string>), cookie: cookieHeader() } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
    const location = response.headers.get('location');
    if (location) {
      const target = new URL(location, next.url);
      if (target.origin !== start.origin) return { redirect: target };
      next = { url: target, init: {} };
      continue;
    }
    const html = await response.text();
    const form = formOf(html);
    if (!form) throw new Error(`the provider answered ${response.status} without a form or a redirect: ${html.slice(0, 300)}`);
    const fields = { ...form.fields, ...('login' in form.fields && { login, password: 'any' }) };
    next = {
      url: new URL(form.action, next.url),
      init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() },
    };
  }
  throw new Error('the provider never sent the browser back');
}

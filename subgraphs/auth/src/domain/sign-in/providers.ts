// The providers this platform offers, built once from the configuration, in a stable order:
// Google, GitHub, then the OpenID providers as configured.
import type { SignInSettings } from './settings.js';
import { GitHubProvider } from './github.js';
import { OpenIdProvider } from './openid.js';
import type { SignInProvider } from './provider.js';

const GOOGLE_ISSUER = 'https://accounts.google.com';

export function signInProviders(settings: SignInSettings): Map<string, SignInProvider> {
  const allowHttp = settings.nodeEnv !== 'production';
  const providers: SignInProvider[] = [];
  const { google, github } = settings;
  if (google.clientId && google.clientSecret) {
    providers.push(new OpenIdProvider({ id: 'google', name: 'Google', icon: 'google', issuer: GOOGLE_ISSUER, clientId: google.clientId, clientSecret: google.clientSecret, scopes: ['openid', 'email', 'profile'], allowHttp: false }));
  }
  if (github.clientId && github.clientSecret) {
    providers.push(new GitHubProvider({ clientId: github.clientId, clientSecret: github.clientSecret, url: github.url, apiUrl: github.apiUrl, allowHttp }));
  }
  for (const provider of settings.openIdProviders) providers.push(new OpenIdProvider({ ...provider, allowHttp }));
  return new Map(providers.map((provider) => [provider.id, provider]));
}

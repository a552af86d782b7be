// Which sign-in providers this platform offers, from the environment: Google (GOOGLE_CLIENT_ID
// and _SECRET), GitHub (GITHUB_CLIENT_ID and _SECRET; GITHUB_URL for GitHub Enterprise), and any
// OpenID provider by issuer (OIDC_PROVIDERS, JSON). None unless configured; a client id without
// its secret stops the service. Browsers come back only to SIGN_IN_REDIRECT_URIS, matched exactly.
import { z } from 'zod';
import { variable, type ConfigOf, type ConfigRule, jsonText } from '@builderai/kit';

const optional = z.string().trim().min(1).optional();
const baseUrl = (fallback: string) => z.string().url().transform((url) => url.replace(/\/+$/, '')).default(fallback);

const openIdProvider = z.object({
  /** Short and stable: it is stored with each identity. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and dashes, at most 40'),
  name: z.string().min(1).max(60),
  issuer: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  scopes: z.array(z.string().min(1)).default(['openid', 'email', 'profile']),
  /** A hint for the sign-in button. */
  icon: z.string().min(1).max(40).default('openid'),
});
export type OpenIdProviderSettings = z.infer<typeof openIdProvider>;

const openIdProviders = jsonText(z.array(openIdProvider).max(20), 'an array of { id, name, issuer, clientId, clientSecret, scopes?, icon? }');

const uriList = z
  .string()
  .transform((value) => value.split(',').map((uri) => uri.trim()).filter(Boolean))
  .pipe(z.array(z.string().url()));

export const signInVariables = {
  /** Where browsers may be sent back after signing in at a provider: exact URIs, comma-separated. */
  redirectUris: variable('SIGN_IN_REDIRECT_URIS', uriList.default('')),
  google: {
    clientId: variable('GOOGLE_CLIENT_ID', optional),
    clientSecret: variable('GOOGLE_CLIENT_SECRET', optional),
  },
  github: {
    clientId: variable('GITHUB_CLIENT_ID', optional),
    clientSecret: variable('GITHUB_CLIENT_SECRET', optional),
    /** GitHub Enterprise Server's address; github.com by default. */
    url: variable('GITHUB_URL', baseUrl('https://github.com')),
    apiUrl: variable('GITHUB_API_URL', baseUrl('https://api.github.com')),
  },
  openIdProviders: variable('OIDC_PROVIDERS', openIdProviders.default('[]')),
  /** Only outside production may providers be reached over plain http (a provider run locally). */
  nodeEnv: variable('NODE_ENV', z.enum(['development', 'test', 'production']).default('development')),
};

export type SignInSettings = ConfigOf<typeof signInVariables>;

const pairRule = (prefix: 'GOOGLE' | 'GITHUB', pick: (c: { signIn: SignInSettings }) => { clientId?: string; clientSecret?: string }): ConfigRule<{ signIn: SignInSettings }> => (config) => {
  const { clientId, clientSecret } = pick(config);
  return Boolean(clientId) !== Boolean(clientSecret) ? [`${prefix}_CLIENT_ID`, `${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET go together`] : undefined;
};

export const signInRules: ConfigRule<{ signIn: SignInSettings }>[] = [
  pairRule('GOOGLE', (c) => c.signIn.google),
  pairRule('GITHUB', (c) => c.signIn.github),
  ({ signIn }) => {
    const ids = signIn.openIdProviders.map((provider) => provider.id);
    const taken = ids.find((id, index) => ids.indexOf(id) !== index || id === 'google' || id === 'github');
    return taken ? ['OIDC_PROVIDERS', `the id "${taken}" is used twice (google and github are taken)`] : undefined;
  },
  ({ signIn }) => {
    if (signIn.nodeEnv !== 'production') return undefined;
    const insecure = [...signIn.openIdProviders.map((provider) => provider.issuer), signIn.github.url, signIn.github.apiUrl].find((url) => new URL(url).protocol !== 'https:');
    return insecure ? ['OIDC_PROVIDERS', `${insecure} is not https (only outside production)`] : undefined;
  },
  ({ signIn }) => {
    if (signIn.nodeEnv !== 'production') return undefined;
    // A native app may listen on loopback (RFC 8252); anything else in the clear could leak codes.
    const insecure = signIn.redirectUris.find((uri) => new URL(uri).protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(new URL(uri).hostname));
    return insecure ? ['SIGN_IN_REDIRECT_URIS', `${insecure} is not https`] : undefined;
  },
];
